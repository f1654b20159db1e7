package org.fedmed.data.registry;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.FileRef;

/**
 * A dataset definition whose files were all found: the path of each file and the SHA-256 of its bytes, both keyed
 * by the path as the definition writes it. Where the definition gives a file's SHA-256, the actual one equals it.
 */
public record ResolvedDataset(DatasetDefinition definition, Map<String, Path> files, Map<String, String> checksums) {

    public ResolvedDataset {
        if (definition == null || files == null || checksums == null) {
            throw new IllegalArgumentException("resolved dataset fields 'definition', 'files' and 'checksums' are required");
        }
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    }

    /** Where a file of the definition is on this machine. */
    public Path file(FileRef ref) {
        return file(ref.path());
    }

    /** Where the file the definition writes as {@code path} is on this machine. */
    public Path file(String path) {
        Path p = files.get(path);
        if (p == null) {
            throw new IllegalArgumentException("dataset '" + definition.name() + "' has no file '" + path + "'");
        }
        return p;
    }
}
