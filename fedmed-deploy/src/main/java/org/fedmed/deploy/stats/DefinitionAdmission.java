package org.fedmed.deploy.stats;

import java.util.Optional;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.server.DefinitionCheck;

/**
 * The server's admission check of a site's dataset definition: the site must report a fingerprint, consistent
 * with the column descriptions it sent, equal to the fingerprint of the server's own definition; otherwise it is
 * refused with the first column that differs named (the transport records the refusal in the server's audit log,
 * and the site records it in its own).
 */
public record DefinitionAdmission(String dataset, DatasetFingerprint expected) implements DefinitionCheck {

    /** The check against {@code schema}, the definition of dataset {@code dataset}. */
    public static DefinitionAdmission of(String dataset, DatasetSchema schema) {
        return new DefinitionAdmission(dataset, DatasetFingerprint.of(schema));
    }

    @Override
    public Optional<String> refusal(DefinitionReport report) {
        if (report == null) {
            return Optional.of("it reported no dataset definition fingerprint; the server trains dataset '" + dataset
                    + "' (fingerprint " + expected.sha256() + ")");
        }
        DatasetFingerprint theirs;
        try {
            theirs = StatsCodec.fingerprint(report);
        } catch (IllegalArgumentException e) {
            return Optional.of("its dataset definition fingerprint is malformed: " + e.getMessage());
        }
        return expected.firstDifference(theirs).map(why -> why + " (dataset '" + dataset + "')");
    }
}
