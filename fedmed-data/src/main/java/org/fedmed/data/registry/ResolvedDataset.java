package org.fedmed.data.registry;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset whose files were all found and verified: the path of each file (by file name) and each file's
 * SHA-256 as computed from its bytes, which equals the registered one.
 */
public record ResolvedDataset(DatasetEntry entry, Map<String, Path> files, Map<String, String> checksums) {

    public ResolvedDataset {
        if (entry == null || files == null || checksums == null) {
            throw new IllegalArgumentException("resolved dataset fields 'entry', 'files' and 'checksums' are required");
        }
        for (DataFile f : entry.files()) {
            if (!files.containsKey(f.name()) || !checksums.containsKey(f.name())) {
                throw new IllegalArgumentException("resolved dataset '" + entry.name() + "' lacks file '" + f.name() + "'");
            }
        }
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    }

    /** Path of one of the dataset's files. */
    public Path file(String name) {
        Path p = files.get(name);
        if (p == null) {
            throw new IllegalArgumentException("dataset '" + entry.name() + "' has no file '" + name + "'");
        }
        return p;
    }
}
