package org.fedmed.server.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint whose bytes no longer hash to the SHA-256 recorded when it was written: it was changed,
 * truncated or replaced since. The message names the file and both digests.
 */
public final class ChecksumMismatchException extends IOException {

    private final Path file;

    public ChecksumMismatchException(Path file, String expectedSha256, String actualSha256) {
        super("checkpoint " + file + " has SHA-256 " + actualSha256 + " but " + expectedSha256
                + " was recorded when it was written; the file was modified or corrupted since");
        this.file = file;
    }

    /** The file whose digest did not match. */
    public Path file() {
        return file;
    }
}
