package org.fedmed.transport.wire;

/** A chunk that does not fit the payload being assembled: out of sequence, too long, or a checksum mismatch. */
public class ChunkException extends Exception {
    public ChunkException(String message) {
        super(message);
    }
}
