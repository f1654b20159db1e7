package org.fedmed.data.registry;

import java.util.regex.Pattern;

/** One file of a registered dataset and the SHA-256 (64 lowercase hex digits) its bytes must have. */
public record DataFile(String name, String sha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public DataFile {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new IllegalArgumentException("data file field 'name' must be a plain file name, got '" + name + "'");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("data file '" + name + "': field 'sha256' must be 64 lowercase hex digits, got '"
                    + sha256 + "'");
        }
    }
}
