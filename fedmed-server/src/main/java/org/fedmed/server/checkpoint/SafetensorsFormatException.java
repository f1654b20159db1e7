package org.fedmed.server.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file fedmed can read: the header length, the JSON header, a dtype, a
 * shape or an offset is wrong. The message names the file and what was expected versus what was found.
 */
public final class SafetensorsFormatException extends IOException {

    private final Path file;

    public SafetensorsFormatException(Path file, String problem) {
        super("safetensors file " + file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super("safetensors file " + file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that failed to parse. */
    public Path file() {
        return file;
    }
}
