package org.fedmed.transport.wire;

import java.util.function.Function;
import java.util.function.LongConsumer;
import org.fedmed.transport.proto.Chunk;

/**
 * One header message and the chunks of its payload, sent in order as the stream's flow control allows. Chunks
 * are encoded only when the stream can take them, so a transfer waiting in a queue costs no memory beyond the
 * vector it reads from, and each chunk is encoded into an array the sender lends for as long as it takes to hand
 * the chunk to gRPC.
 *
 * @param <M> the stream's message type
 */
public final class Transfer<M> {

    private final String taskId;
    private final M header;
    private final ModelChunker chunker;
    private final Function<Chunk, M> wrap;
    private final LongConsumer onSent;
    private boolean headerSent;

    /**
     * @param onSent called once, with the payload bytes sent, after the last message was handed to gRPC; may be null
     */
    public Transfer(String taskId, M header, ModelChunker chunker, Function<Chunk, M> wrap, LongConsumer onSent) {
        this.taskId = taskId;
        this.header = header;
        this.chunker = chunker;
        this.wrap = wrap;
        this.onSent = onSent;
    }

    public String taskId() {
        return taskId;
    }

    boolean hasNext() {
        return !headerSent || chunker.hasNext();
    }

    /** Bytes of scratch the next message needs: 0 for the header, the chunk's size for a chunk. */
    int scratchBytes() {
        return headerSent ? chunker.nextChunkBytes() : 0;
    }

    /** The next message; a chunk is encoded into {@code scratch} (see {@link #scratchBytes()}), so is valid until it is reused. */
    M next(byte[] scratch) {
        if (!headerSent) {
            headerSent = true;
            return header;
        }
        return wrap.apply(chunker.next(scratch));
    }

    void finished() {
        if (onSent != null) {
            onSent.accept(chunker.bytesProduced());
        }
    }
}
