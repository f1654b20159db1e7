package org.fedmed.transport.site;

import java.time.Instant;
import java.util.List;
import org.fedmed.core.TaskId;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.proto.ExchangePiece;
import org.fedmed.transport.proto.ExchangeRefused;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.ExchangePieces;
import org.fedmed.transport.wire.FlowControlledSender;

/**
 * A site stream's side of the multi-exchange rounds: it reassembles each stage's message from its pieces, hands it on
 * the connection's worker to the participant the site keeps for that fit ({@link SiteConnection#keepingUpdatesWith},
 * the site's own secagg client, which decodes and checks it as the one message the stage allows), and sends the answer
 * back in pieces, or the refusal with its reason. Nothing else runs: a message for a fit the site kept no update for is
 * refused. Every stage is audited, answered or refused.
 */
final class SiteExchanges {

    private static final System.Logger LOG = System.getLogger(SiteExchanges.class.getName());

    private final SiteConnection connection;
    private final String siteId;
    private final long maxBodyBytes;
    // Touched only from the call's inbound callbacks, which gRPC serializes.
    private ExchangePieces.Assembly incoming;

    SiteExchanges(SiteConnection connection, long maxModelBytes) {
        this.connection = connection;
        this.siteId = connection.siteId();
        this.maxBodyBytes = ExchangePieces.maxBodyBytes(maxModelBytes);
    }

    /** A piece of a stage's message from the server; on the last one the stage is answered on the worker. */
    void onPiece(ExchangePiece p, FlowControlledSender<SiteMessage> out, int chunkBytes) {
        ExchangeStage stage = ExchangePieces.fromWire(p.getStage());
        if (stage == null) {
            refuse(out, p.getTaskId(), p.getStage(), "unknown exchange stage " + p.getStage());
            return;
        }
        try {
            if (incoming == null) {
                incoming = new ExchangePieces.Assembly(p, maxBodyBytes);
            }
            if (!incoming.accept(p)) {
                return;
            }
        } catch (ChunkException e) {
            incoming = null;
            refuse(out, p.getTaskId(), p.getStage(), "the message broke in transit: " + e.getMessage());
            return;
        }
        byte[] body = incoming.body();
        incoming = null;
        String taskId = p.getTaskId();
        connection.worker().submit(() -> answer(out, taskId, stage, body, chunkBytes));
    }

    private void answer(FlowControlledSender<SiteMessage> out, String taskId, ExchangeStage stage, byte[] body,
                        int chunkBytes) {
        byte[] reply;
        try {
            reply = connection.heldUpdates().answer(taskId, stage, body);
        } catch (ExchangeRefusedException e) {
            refuse(out, taskId, ExchangePieces.toWire(stage), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "site '" + siteId + "' failed stage " + stage + " of task '" + taskId
                    + "'", e);
            refuse(out, taskId, ExchangePieces.toWire(stage), "the site failed the stage: " + e);
            return;
        }
        if (!connection.audit(entry(taskId, AuditEntry.Event.EXCHANGE_ANSWERED, "", stage, body.length,
                reply.length))) {
            refuse(out, taskId, ExchangePieces.toWire(stage), "the site's audit log is unavailable; it sends nothing"
                    + " unrecorded");
            return;
        }
        for (ExchangePiece piece : ExchangePieces.split(taskId, stage, reply, chunkBytes)) {
            out.send(SiteMessage.newBuilder().setExchange(piece).build());
        }
    }

    private void refuse(FlowControlledSender<SiteMessage> out, String taskId,
                        org.fedmed.transport.proto.ExchangeStage stage, String reason) {
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' refused exchange stage {1} of task ''{2}'': {3}", siteId, stage,
                taskId, reason);
        ExchangeStage known = ExchangePieces.fromWire(stage);
        connection.audit(entry(taskId, AuditEntry.Event.EXCHANGE_REFUSED, reason, known, 0, 0));
        out.send(SiteMessage.newBuilder().setExchangeRefused(ExchangeRefused.newBuilder().setTaskId(taskId)
                .setStage(stage).setReason(reason)).build());
    }

    private AuditEntry entry(String taskId, AuditEntry.Event event, String reason, ExchangeStage stage, long in,
                             long sent) {
        int round = 0;
        try {
            round = TaskId.parse(taskId).round();
        } catch (IllegalArgumentException e) {
            // a task id that is no fit's: recorded with round 0
        }
        return new AuditEntry(Instant.now(), siteId, taskId, TaskKind.FIT, round, event, reason, in, sent,
                stage == null ? List.of() : List.of(stage.name().toLowerCase(java.util.Locale.ROOT)));
    }
}
