package org.fedmed.transport.wire;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.fedmed.transport.proto.Chunk;

/**
 * Cuts a flat float vector into {@link Chunk}s of little-endian float32, one at a time, so that only the chunk
 * being sent is ever encoded. Sequence numbers count from 0; the last chunk carries the CRC32C of the whole
 * payload. An empty vector yields no chunks. The vector must not change while it is being chunked.
 *
 * <p>A chunker made by {@link #reusing} encodes every chunk into one buffer of its own, so a chunk's data is valid
 * only until the next call of {@link #next()}: for a sender that serializes each message before it asks for the next
 * (a gRPC call's {@code onNext} copies the message into the transport's buffers before it returns), this sends a
 * model of any size without allocating a buffer per chunk.
 */
public final class ModelChunker {

    private final String taskId;
    private final float[] values;
    private final int floatsPerChunk;
    private final CRC32C crc = new CRC32C();
    private final byte[] reused;
    private int position;
    private int seq;
    private long bytesProduced;

    /** A chunker whose chunks each hold data of their own, valid for as long as they are kept. */
    public ModelChunker(String taskId, float[] values, int chunkBytes) {
        this(taskId, values, chunkBytes, false);
    }

    private ModelChunker(String taskId, float[] values, int chunkBytes, boolean reuse) {
        if (chunkBytes < 4 || chunkBytes % 4 != 0) {
            throw new IllegalArgumentException("chunk_bytes must be a positive multiple of 4, got " + chunkBytes);
        }
        this.taskId = taskId;
        this.values = values;
        this.floatsPerChunk = chunkBytes / 4;
        this.reused = reuse ? new byte[4 * Math.min(floatsPerChunk, values.length)] : null;
    }

    /**
     * A chunker that encodes every chunk into the same buffer: each chunk's data is valid only until the next call
     * of {@link #next()} (see the class comment).
     */
    public static ModelChunker reusing(String taskId, float[] values, int chunkBytes) {
        return new ModelChunker(taskId, values, chunkBytes, true);
    }

    public boolean hasNext() {
        return position < values.length;
    }

    /** Encodes the next chunk. */
    public Chunk next() {
        if (!hasNext()) {
            throw new IllegalStateException("task '" + taskId + "': all " + values.length + " values were already chunked");
        }
        int n = Math.min(floatsPerChunk, values.length - position);
        int bytes = n * 4;
        byte[] buf = reused != null ? reused : new byte[bytes];
        ByteBuffer.wrap(buf, 0, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, position, n);
        crc.update(buf, 0, bytes);
        position += n;
        bytesProduced += bytes;
        Chunk.Builder chunk = Chunk.newBuilder().setTaskId(taskId).setSeq(seq++)
                .setData(UnsafeByteOperations.unsafeWrap(buf, 0, bytes));
        if (position == values.length) {
            chunk.setLast(true).setCrc32C((int) crc.getValue());
        }
        return chunk.build();
    }

    /** Payload bytes encoded so far. */
    public long bytesProduced() {
        return bytesProduced;
    }
}
