package org.fedmed.transport.wire;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.transport.proto.ExchangePiece;

/**
 * The one mapping between a multi-exchange round's messages and the wire: stages to and from their proto enum, and a
 * message body split into {@link ExchangePiece}s of at most one chunk each (and back, with {@link Assembly}), so no
 * stage's message is bounded by the gRPC message limit.
 */
public final class ExchangePieces {

    private ExchangePieces() {
    }

    /** The largest message body either side reassembles: a masked vector of 62-bit elements, with room to spare. */
    public static long maxBodyBytes(long maxModelBytes) {
        return 2 * maxModelBytes + 64 * 1024;
    }

    public static org.fedmed.transport.proto.ExchangeStage toWire(ExchangeStage stage) {
        return switch (stage) {
            case ADVERTISE_KEYS -> org.fedmed.transport.proto.ExchangeStage.ADVERTISE_KEYS;
            case SHARE_KEYS -> org.fedmed.transport.proto.ExchangeStage.SHARE_KEYS;
            case MASKED_INPUT -> org.fedmed.transport.proto.ExchangeStage.MASKED_INPUT;
            case UNMASK -> org.fedmed.transport.proto.ExchangeStage.UNMASK;
        };
    }

    /** The stage a wire value names, or null for an unknown one. */
    public static ExchangeStage fromWire(org.fedmed.transport.proto.ExchangeStage stage) {
        return switch (stage) {
            case ADVERTISE_KEYS -> ExchangeStage.ADVERTISE_KEYS;
            case SHARE_KEYS -> ExchangeStage.SHARE_KEYS;
            case MASKED_INPUT -> ExchangeStage.MASKED_INPUT;
            case UNMASK -> ExchangeStage.UNMASK;
            case EXCHANGE_STAGE_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    /** {@code body} as pieces of at most {@code chunkBytes}; an empty body is one empty last piece. */
    public static List<ExchangePiece> split(String taskId, ExchangeStage stage, byte[] body, int chunkBytes) {
        List<ExchangePiece> out = new ArrayList<>(body.length / chunkBytes + 1);
        int seq = 0;
        int at = 0;
        do {
            int len = Math.min(chunkBytes, body.length - at);
            out.add(ExchangePiece.newBuilder().setTaskId(taskId).setStage(toWire(stage)).setSeq(seq++)
                    .setData(ByteString.copyFrom(body, at, len)).setLast(at + len == body.length).build());
            at += len;
        } while (at < body.length);
        return out;
    }

    /**
     * One message being reassembled from its pieces: they must come in seq order from 0, each of the same task and
     * stage, and add up to at most the limit.
     */
    public static final class Assembly {

        private final String taskId;
        private final org.fedmed.transport.proto.ExchangeStage stage;
        private final long limit;
        private final List<ByteString> parts = new ArrayList<>();
        private long size;
        private int next;
        private boolean complete;

        public Assembly(ExchangePiece first, long limit) {
            this.taskId = first.getTaskId();
            this.stage = first.getStage();
            this.limit = Math.min(limit, Integer.MAX_VALUE - 16);
        }

        public String taskId() {
            return taskId;
        }

        /**
         * Adds a piece; returns whether the message is complete.
         *
         * @throws ChunkException if the piece is out of order, of another task or stage, or the message is too large
         */
        public boolean accept(ExchangePiece p) throws ChunkException {
            if (complete) {
                throw new ChunkException("exchange message of task '" + taskId + "' (" + stage + ") got piece "
                        + p.getSeq() + " after its last");
            }
            if (!p.getTaskId().equals(taskId) || p.getStage() != stage) {
                throw new ChunkException("exchange piece of task '" + p.getTaskId() + "' (" + p.getStage()
                        + ") arrived while the message of task '" + taskId + "' (" + stage + ") was incomplete");
            }
            if (p.getSeq() != next) {
                throw new ChunkException("exchange message of task '" + taskId + "' (" + stage + "): expected piece "
                        + next + ", got " + p.getSeq());
            }
            size += p.getData().size();
            if (size > limit) {
                throw new ChunkException("exchange message of task '" + taskId + "' (" + stage + ") exceeds "
                        + limit + " bytes");
            }
            parts.add(p.getData());
            next++;
            complete = p.getLast();
            return complete;
        }

        /** The whole message, once complete. */
        public byte[] body() {
            byte[] out = new byte[(int) size];
            int at = 0;
            for (ByteString b : parts) {
                b.copyTo(out, at);
                at += b.size();
            }
            parts.clear();
            return out;
        }
    }
}
