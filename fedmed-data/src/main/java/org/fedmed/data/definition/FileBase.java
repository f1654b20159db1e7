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

    /**
     * Relative paths resolve against {@code <root>/<folder>/} in the first search root that holds them. A definition
     * shipped with fedmed uses its dataset's name as the folder; a user's definition names one with
     * {@code data_folder}, to use files already in the data roots (for example a built-in dataset's) without copying
     * them.
     */
    record DataRoots(String folder) implements FileBase {
        public DataRoots {
            if (folder == null || folder.isBlank() || folder.contains("/") || folder.contains("\\") || folder.equals("..")) {
                throw new IllegalArgumentException("data_folder must name one folder of the data roots, got '" + folder + "'");
            }
        }
    }
}
