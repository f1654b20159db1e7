package org.fedmed.server.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A model export made from a run: the file written, the SHA-256 of its bytes when it was written (lowercase hex),
 * the run and round the model comes from, and when. The file may since have been moved or removed; the digest
 * says whether a file found there is still the one exported.
 */
public record ExportRecord(long id, long runId, int round, Instant created, Path path, String sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ExportRecord {
        if (created == null || path == null) {
            throw new IllegalArgumentException("export " + id + " of run " + runId + ": created and path are required");
        }
        if (round < 1) {
            throw new IllegalArgumentException("export " + id + " of run " + runId + ": round must be >= 1, got "
                    + round);
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("export " + id + " of run " + runId + " (" + path + "): sha256 must be"
                    + " 64 lowercase hex digits, got '" + sha256 + "'");
        }
    }
}
