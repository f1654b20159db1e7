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

    /** Encodes the next chunk. */
    public Chunk next() {
        if (!hasNext()) {
            throw new IllegalStateException("task '" + taskId + "': all " + values.length + " values were already chunked");
        }
        int n = Math.min(floatsPerChunk, values.length - position);
        byte[] buf = new byte[n * 4];
        ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, position, n);
        crc.update(buf, 0, buf.length);
        position += n;
        bytesProduced += buf.length;
        Chunk.Builder chunk = Chunk.newBuilder().setTaskId(taskId).setSeq(seq++)
                .setData(UnsafeByteOperations.unsafeWrap(buf));
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
