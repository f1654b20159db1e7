package org.fedmed.transport.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.fedmed.transport.proto.Chunk;

/**
 * Decodes {@link Chunk}s straight into a float vector sized from the declared payload, checking that they come in
 * sequence, never run past the declared size, and end with the CRC32C of what was received. Nothing is buffered
 * beyond the target vector, so receiving a model costs O(P) memory.
 */
public final class ModelAssembler {

    private final String taskId;
    private final float[] target;
    private final CRC32C crc = new CRC32C();
    private int position;
    private int nextSeq;
    private boolean complete;

    /** Assembles a payload of exactly {@code target.length} float32 values into {@code target}. */
    public ModelAssembler(String taskId, float[] target) {
        this.taskId = taskId;
        this.target = target;
        this.complete = target.length == 0;
    }

    /**
     * Decodes one chunk into the target and returns the number of values it held; they sit at
     * {@code [position() - n, position())}.
     */
    public int accept(Chunk chunk) throws ChunkException {
        if (complete) {
            throw new ChunkException("task '" + taskId + "': chunk " + chunk.getSeq() + " arrived after the payload was complete");
        }
        if (!chunk.getTaskId().equals(taskId)) {
            throw new ChunkException("chunk names task '" + chunk.getTaskId() + "' but task '" + taskId + "' is being received");
        }
        if (chunk.getSeq() != nextSeq) {
            throw new ChunkException("task '" + taskId + "': chunk " + chunk.getSeq() + " arrived, expected chunk " + nextSeq);
        }
        int bytes = chunk.getData().size();
        if (bytes % 4 != 0) {
            throw new ChunkException("task '" + taskId + "': chunk " + chunk.getSeq() + " holds " + bytes
                    + " bytes, not a whole number of float32 values");
        }
        int n = bytes / 4;
        if (n > target.length - position) {
            throw new ChunkException("task '" + taskId + "': payload runs past its declared " + 4L * target.length
                    + " bytes (chunk " + chunk.getSeq() + " brings it to " + (4L * position + bytes) + ")");
        }
        ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
        crc.update(data.duplicate());
        data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(target, position, n);
        position += n;
        nextSeq++;
        if (chunk.getLast()) {
            if (position != target.length) {
                throw new ChunkException("task '" + taskId + "': payload ended after " + 4L * position + " of its declared "
                        + 4L * target.length + " bytes");
            }
            int actual = (int) crc.getValue();
            if (actual != chunk.getCrc32C()) {
                throw new ChunkException("task '" + taskId + "': CRC32C of the payload is " + Integer.toHexString(actual)
                        + " but the sender's is " + Integer.toHexString(chunk.getCrc32C()));
            }
            complete = true;
        }
        return n;
    }

    /** Whether the whole payload arrived and its checksum matched. */
    public boolean complete() {
        return complete;
    }

    /** Values decoded so far. */
    public int position() {
        return position;
    }

    public float[] target() {
        return target;
    }
}
