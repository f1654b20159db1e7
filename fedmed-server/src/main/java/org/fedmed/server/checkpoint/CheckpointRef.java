package org.fedmed.server.checkpoint;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where a checkpoint file lies and the SHA-256 of its bytes when it was written, as lowercase hex. The digest is
 * what lets a resume or an export prove that the file it reads is the one the run store recorded.
 */
public record CheckpointRef(Path path, String sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public CheckpointRef {
        if (path == null) {
            throw new IllegalArgumentException("checkpoint path is required");
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("checkpoint " + path + ": sha256 must be 64 lowercase hex digits, got '"
                    + sha256 + "'");
        }
    }

    /** Lowercase hex of a raw SHA-256 digest. */
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
