package org.fedmed.transport;

import java.util.List;

/**
 * What a site reports about its dataset definition when it joins: the SHA-256 fingerprint of the definition's
 * canonical form and the canonical description of each column it was computed from, so that a server whose own
 * definition differs can name the first column that differs. Computing and comparing fingerprints is the data
 * layer's ({@code org.fedmed.data.stats.DatasetFingerprint}); the transport only carries them.
 *
 * @param sha256       the fingerprint, 64 lowercase hex digits
 * @param columnNames  the columns' names, in canonical order
 * @param descriptions the columns' canonical descriptions, in the same order
 */
public record DefinitionReport(String sha256, List<String> columnNames, List<String> descriptions) {

    public DefinitionReport {
        if (sha256 == null) {
            throw new IllegalArgumentException("definition report field 'sha256' is required");
        }
        columnNames = List.copyOf(columnNames);
        descriptions = List.copyOf(descriptions);
        if (columnNames.size() != descriptions.size()) {
            throw new IllegalArgumentException("definition report has " + columnNames.size() + " column names for "
                    + descriptions.size() + " descriptions");
        }
    }
}
