package org.fedmed.data.registry;

import java.nio.file.Path;

/**
 * A dataset file's bytes do not have the registered SHA-256: the file is corrupt, truncated or a different
 * version. The message names the file, the expected and the actual digest.
 */
public class ChecksumMismatchException extends RuntimeException {

    private final Path file;
    private final String expected;
    private final String actual;

    /** A mismatch for {@code file} of dataset {@code dataset}. */
    public ChecksumMismatchException(String dataset, Path file, String expected, String actual) {
        super("dataset '" + dataset + "': checksum mismatch for " + file + ": expected SHA-256 " + expected
                + ", actual " + actual + "; the file is corrupt or a different version: replace it with the original");
        this.file = file;
        this.expected = expected;
        this.actual = actual;
    }

    /** The file whose digest differs. */
    public Path file() {
        return file;
    }

    /** The registered digest. */
    public String expected() {
        return expected;
    }

    /** The digest of the file's actual bytes. */
    public String actual() {
        return actual;
    }
}
