package org.fedmed.data.definition;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A data file a definition names: its path as written (relative to the definition's folder, or to the dataset's
 * folder for a built-in definition) and, optionally, the SHA-256 its bytes must have (64 lowercase hex digits; null
 * when not given). {@code key} is the path of the key that names the file (field names and list indexes), for error messages.
 */
public record FileRef(String path, String sha256, List<Object> key) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public FileRef {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("file path must not be blank");
        }
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("file '" + path + "': sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("file '" + path + "': field 'key' must give where the definition names it");
        }
        key = List.copyOf(key);
    }

    /** A file with no registered checksum. */
    public static FileRef of(String path, List<Object> key) {
        return new FileRef(path, null, key);
    }
}
