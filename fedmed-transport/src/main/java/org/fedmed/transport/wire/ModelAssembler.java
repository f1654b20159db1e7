package org.fedmed.transport.wire;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.fedmed.transport.proto.Chunk;

/**
 * Decodes {@link Chunk}s straight into a float vector sized from the declared payload, checking that they come in
 * sequence, never run past the declared size, and end with the CRC32C of what was received. Nothing is buffered
 * beyond the target vector, so receiving a model costs O(P) memory. A chunk's data is read only inside
 * {@link #accept}, so it may point into buffers the transport reuses once the call returns
 * ({@link AliasingMarshaller}).
 */
public final class ModelAssembler {

    private final String taskId;
    private final float[] target;
    private final CRC32C crc = new CRC32C();
    private final byte[] carry = new byte[4];
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
        decode(chunk.getData());
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

    /**
     * Decodes {@code data} (a whole number of floats) into the target from {@link #position}, piece by piece: a
     * chunk parsed in place spans the transport's buffers, whose edges fall anywhere, even inside a float.
     */
    private void decode(ByteString data) {
        int at = position;
        int carried = 0;
        for (ByteBuffer piece : data.asReadOnlyByteBufferList()) {
            crc.update(piece.duplicate());
            piece.order(ByteOrder.LITTLE_ENDIAN);
            while (carried > 0 && carried < 4 && piece.hasRemaining()) {
                carry[carried++] = piece.get();
            }
            if (carried == 4) {
                target[at++] = Float.intBitsToFloat((carry[0] & 0xff) | (carry[1] & 0xff) << 8
                        | (carry[2] & 0xff) << 16 | (carry[3] & 0xff) << 24);
                carried = 0;
            }
            int whole = piece.remaining() / 4;
            piece.asFloatBuffer().get(target, at, whole);
            at += whole;
            piece.position(piece.position() + 4 * whole);
            while (piece.hasRemaining()) {
                carry[carried++] = piece.get();
            }
        }
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
