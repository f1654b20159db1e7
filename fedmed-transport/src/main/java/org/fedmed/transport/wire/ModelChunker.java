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
 * <p>{@link #next()} gives each chunk data of its own; {@link #next(byte[])} encodes into an array the caller lends,
 * so the chunk's data is valid only until the caller reuses that array: a sender that hands each message to a gRPC
 * call (whose {@code onNext} copies it into the transport's buffers before it returns) sends a model of any size
 * through one scratch array ({@link ScratchBuffers}).
 */
public final class ModelChunker {

    private final String taskId;
    private final float[] values;
    private final int floatsPerChunk;
    private final CRC32C crc = new CRC32C();
    private int position;
    private int seq;
    private long bytesProduced;

    public ModelChunker(String taskId, float[] values, int chunkBytes) {
        if (chunkBytes < 4 || chunkBytes % 4 != 0) {
            throw new IllegalArgumentException("chunk_bytes must be a positive multiple of 4, got " + chunkBytes);
        }
        this.taskId = taskId;
        this.values = values;
        this.floatsPerChunk = chunkBytes / 4;
    }

    public boolean hasNext() {
        return position < values.length;
    }

    /** The size of the next chunk's data, in bytes; 0 when all values were chunked. */
    public int nextChunkBytes() {
        return 4 * Math.min(floatsPerChunk, values.length - position);
    }

    /** Encodes the next chunk into data of its own. */
    public Chunk next() {
        return next(new byte[nextChunkBytes()]);
    }

    /**
     * Encodes the next chunk into {@code scratch}, which must hold at least {@link #nextChunkBytes()} bytes; the
     * chunk's data is valid until {@code scratch} is written again.
     */
    public Chunk next(byte[] scratch) {
        if (!hasNext()) {
            throw new IllegalStateException("task '" + taskId + "': all " + values.length + " values were already chunked");
        }
        int n = Math.min(floatsPerChunk, values.length - position);
        int bytes = n * 4;
        if (scratch.length < bytes) {
            throw new IllegalArgumentException("task '" + taskId + "': a scratch array of " + scratch.length
                    + " bytes cannot hold a chunk of " + bytes);
        }
        ByteBuffer.wrap(scratch, 0, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, position, n);
        crc.update(scratch, 0, bytes);
        position += n;
        bytesProduced += bytes;
        Chunk.Builder chunk = Chunk.newBuilder().setTaskId(taskId).setSeq(seq++)
                .setData(UnsafeByteOperations.unsafeWrap(scratch, 0, bytes));
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
