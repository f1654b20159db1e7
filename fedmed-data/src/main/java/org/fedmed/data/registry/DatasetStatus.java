package org.fedmed.data.registry;

import org.fedmed.data.definition.DatasetDefinition;

/**
 * One line of the registry's listing: the dataset, whether it is usable here, and a human-readable detail
 * (the folder it was found in, the files that are missing, or the file whose checksum differs).
 */
public record DatasetStatus(DatasetDefinition definition, Availability availability, String detail) {

    public DatasetStatus {
        if (definition == null || availability == null || detail == null) {
            throw new IllegalArgumentException("dataset status fields 'definition', 'availability' and 'detail' are required");
        }
    }
}
