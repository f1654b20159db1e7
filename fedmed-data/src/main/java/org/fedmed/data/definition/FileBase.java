package org.fedmed.data.definition;

import java.nio.file.Path;

/**
 * Where a definition's relative file paths point: the folder of the definition file (a user's own definition), or
 * the dataset's folder {@code <root>/<name>/} in the data search roots ({@code $FEDMED_DATA}, then
 * {@code ~/.cache/fedmed}), for a definition shipped with fedmed.
 */
public sealed interface FileBase {

    /** Relative paths resolve against {@code folder}. */
    record Folder(Path folder) implements FileBase {
        public Folder {
            if (folder == null) {
                throw new IllegalArgumentException("folder is required");
            }
            folder = folder.toAbsolutePath().normalize();
        }
    }

    /** Relative paths resolve against {@code <root>/<dataset name>/} in the first search root that holds them. */
    record DataRoots() implements FileBase {
    }
}
