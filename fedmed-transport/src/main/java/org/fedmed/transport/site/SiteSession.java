package org.fedmed.transport.site;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.EvalResult;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.UpdateRelease;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.ProtocolVersion;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.Heartbeat;
import org.fedmed.transport.proto.Hello;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.proto.TaskFailed;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.proto.TaskRefused;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.FlowControlledSender;
import org.fedmed.transport.wire.ModelChunker;
import org.fedmed.transport.wire.Transfer;
import org.fedmed.transport.wire.UnknownLocalTermException;
import org.fedmed.transport.wire.WireCodec;

/**
 * One stream of a {@link SiteConnection}, from Hello until it ends. It turns tasks into offers for the site's
 * policy, receives accepted models chunk by chunk, runs the work on the connection's single worker, and streams
 * results back; a new stream is made for every reconnect.
 */
final class SiteSession implements ClientResponseObserver<SiteMessage, ServerMessage> {

    private static final System.Logger LOG = System.getLogger(SiteSession.class.getName());

    private final SiteConnection connection;
    private final ManagedChannel channel;
    private final SiteSettings settings;
    private final Map<String, TaskRun> runs = new ConcurrentHashMap<>();
    private volatile FlowControlledSender<SiteMessage> out;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile int chunkBytes;
    private volatile boolean welcomed;
    /** Set once the server has refused this site on this stream: nothing it sends after that is acted on. */
    private volatile boolean refusedHere;
    // set once the server said the run is over, so the end of the stream that follows reads as what it is
    private volatile boolean runEnded;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> dialCheck;
    private boolean heartbeatsStopped;
    // Touched only from the call's inbound callbacks, which gRPC serializes.
    private TaskRun incoming;
    private final Set<String> discarding = new HashSet<>();
    private final SiteExchanges exchanges;

    /** @param channel the channel this session alone uses, shut down when it ends; null for a shared one */
    SiteSession(SiteConnection connection, ManagedChannel channel) {
        this.connection = connection;
        this.channel = channel;
        this.settings = connection.settings();
        this.chunkBytes = settings.limits().chunkBytes();
        this.exchanges = new SiteExchanges(connection, settings.limits().maxModelBytes());
    }

    /** Opens the stream and says Hello; the stream is given up if no Welcome arrives within the dial timeout. */
    void open(FederationGrpc.FederationStub stub) {
        stub.connect(this);
        long ms = settings.dialTimeout().toMillis();
        synchronized (this) {
            dialCheck = SiteTimers.TIMERS.schedule(() -> {
                if (!welcomed) {
                    cancel("the server did not welcome the site within the dial timeout of " + ms + " ms");
                }
            }, ms, TimeUnit.MILLISECONDS);
        }
        Hello.Builder hello = Hello.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT)
                .setSiteId(settings.siteId()).addAllCapabilities(settings.capabilities());
        DefinitionReport d = settings.definition();
        if (d != null) {
            hello.setDefinition(WireCodec.toWire(d));
        }
        out.send(SiteMessage.newBuilder().setHello(hello).build());
    }

    /** Shuts down this session's own channel, if it has one, at once; idempotent. */
    void releaseChannel() {
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /**
     * Shuts down this session's own channel, if it has one, after the stream's end (sent by {@link #finish()})
     * reaches the server, or after {@code grace} at the latest.
     */
    void releaseChannelAfter(Duration grace) {
        if (channel != null) {
            channel.shutdown();
            SiteTimers.TIMERS.schedule(channel::shutdownNow, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SiteMessage> call) {
        out = new FlowControlledSender<>(call);
        call.setOnReadyHandler(out::drain);
    }

    // ---- inbound ---------------------------------------------------------------------------------------------

    @Override
    public void onNext(ServerMessage m) {
        lastSeenNanos = System.nanoTime();
        if (refusedHere) {
            // a task the server had queued before it cut the site may still arrive: it is neither accepted nor run
            return;
        }
        switch (m.getBodyCase()) {
            case WELCOME -> {
                // the first callback, on the stream's event loop: results and answers queued by the worker are
                // sent from that loop from now on
                var loop = FlowControlledSender.loopOfThisThread(SiteChannels.LOOPS);
                if (loop != null) {
                    out.drainOn(loop);
                }
                var version = ProtocolVersion.mismatch("the server", m.getWelcome().getProtocolVersion());
                if (version.isPresent()) {
                    refusedHere = true;
                    connection.refused(this, version.get());
                    return;
                }
                welcomed = true;
                int serverChunk = m.getWelcome().getChunkBytes();
                if (serverChunk >= 4 && serverChunk % 4 == 0 && serverChunk < chunkBytes) {
                    chunkBytes = serverChunk;
                }
                connection.welcomed(this, m.getWelcome());
            }
            case REFUSAL -> {
                refusedHere = true;
                connection.refused(this, m.getRefusal().getReason());
            }
            case RUN_ENDED -> {
                runEnded = true;
                connection.runEnded(this, m.getRunEnded().getReason());
            }
            case TASK -> onTask(m.getTask());
            case CHUNK -> onChunk(m.getChunk());
            case CANCEL -> onCancel(m.getCancel().getTaskId(), m.getCancel().getReason());
            case REJECTION -> onRejection(m.getRejection().getTaskId(), m.getRejection().getReason());
            case STATS_REQUEST -> onStatsRequest(m.getStatsRequest());
            case MERGED_STATS -> onMergedStats(m.getMergedStats());
            case EXCHANGE -> exchanges.onPiece(m.getExchange(), out, chunkBytes);
            case HEARTBEAT -> {
            }
            case BODY_NOT_SET -> LOG.log(System.Logger.Level.WARNING, "site ''{0}'': empty message from the server; ignored",
                    settings.siteId());
        }
    }

    @Override
    public void onError(Throwable t) {
        out.ended();
        connection.sessionEnded(this, describe(Status.fromThrowable(t), t.getCause()));
    }

    /**
     * A broken stream's status as a site operator reads it, on one line: the code, the first line of its
     * description, and the cause by its simple class name and first line (Netty's multi-line pipeline dumps and
     * shaded package names stay out).
     */
    static String describe(Status status, Throwable cause) {
        StringBuilder b = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null && !status.getDescription().isBlank()) {
            b.append(": ").append(firstLine(status.getDescription()));
        }
        if (cause != null) {
            b.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                b.append(": ").append(firstLine(cause.getMessage()));
            }
            b.append(')');
        }
        return b.toString();
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end).strip();
    }

    @Override
    public void onCompleted() {
        out.ended();
        connection.sessionEnded(this, runEnded ? "the server ended the stream after the run ended"
                : "the server ended the stream");
    }

    private void onTask(TaskHeader h) {
        TaskOffer offer;
        try {
            offer = WireCodec.offer(h, settings.limits().maxModelBytes());
        } catch (UnknownLocalTermException e) {
            refuse(h, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            refuse(h, "malformed task: " + e.getMessage());
            return;
        }
        PolicyDecision decision;
        try {
            decision = connection.policy().review(offer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "site '" + settings.siteId() + "': task policy failed on " + offer, e);
            decision = PolicyDecision.refuse("the site's task policy failed: " + e);
        }
        if (!decision.accepted()) {
            refuse(h, decision.reason());
            return;
        }
        TaskRun run = new TaskRun(offer, connection);
        if (!connection.audit(entry(h, AuditEntry.Event.ACCEPTED, ""))) {
            refuse(h, "the site's audit log is unavailable; it runs no unrecorded task");
            return;
        }
        if (incoming != null) {
            failIncoming("task '" + h.getTaskId() + "' arrived before its model was complete");
        }
        runs.put(offer.taskId(), run);
        if (run.assembler().complete()) {
            execute(run);
        } else {
            incoming = run;
        }
    }

    private void refuse(TaskHeader h, String reason) {
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' refused task ''{1}'': {2}", settings.siteId(), h.getTaskId(), reason);
        out.send(SiteMessage.newBuilder().setTaskRefused(TaskRefused.newBuilder().setTaskId(h.getTaskId())
                .setReason(reason)).build());
        connection.audit(entry(h, AuditEntry.Event.REFUSED, reason));
        if (h.getPayloadBytes() > 0) {
            discarding.add(h.getTaskId());
        }
    }

    private AuditEntry entry(TaskHeader h, AuditEntry.Event event, String reason) {
        TaskKind kind;
        try {
            kind = WireCodec.fromWire(h.getKind());
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        return new AuditEntry(Instant.now(), settings.siteId(), h.getTaskId(), kind, h.getRound(), event, reason, 0, 0,
                List.of());
    }

    private void onChunk(Chunk c) {
        TaskRun run = incoming;
        if (run != null && run.taskId().equals(c.getTaskId())) {
            try {
                run.assembler().accept(c);
                run.received(c.getData().size());
            } catch (ChunkException e) {
                failIncoming("the model transfer broke: " + e.getMessage());
                discarding.add(c.getTaskId());
                if (c.getLast()) {
                    discarding.remove(c.getTaskId());
                }
                return;
            }
            if (run.assembler().complete()) {
                incoming = null;
                execute(run);
            }
            return;
        }
        if (discarding.contains(c.getTaskId())) {
            if (c.getLast()) {
                discarding.remove(c.getTaskId());
            }
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "site ''{0}'': chunk {1} of task ''{2}'' belongs to no task; ignored",
                settings.siteId(), c.getSeq(), c.getTaskId());
    }

    private void failIncoming(String reason) {
        TaskRun run = incoming;
        incoming = null;
        runs.remove(run.taskId(), run);
        sendFailed(run.taskId(), reason);
        run.finish(AuditEntry.Event.FAILED, reason, 0, List.of());
    }

    private void onCancel(String taskId, String reason) {
        if (incoming != null && incoming.taskId().equals(taskId)) {
            incoming = null;
        }
        out.cancel(taskId);
        TaskRun run = runs.remove(taskId);
        if (run != null && run.stop(AuditEntry.Event.CANCELLED, "the server cancelled the task: " + reason)) {
            LOG.log(System.Logger.Level.INFO, "site ''{0}'': server cancelled task ''{1}'': {2}", settings.siteId(), taskId, reason);
        }
    }

    private void onRejection(String taskId, String reason) {
        LOG.log(System.Logger.Level.WARNING, "site ''{0}'': the server rejected the update for task ''{1}'': {2}",
                settings.siteId(), taskId, reason);
        out.cancel(taskId);
        TaskRun run = runs.remove(taskId);
        if (run == null || !run.stop(AuditEntry.Event.REJECTED_BY_SERVER, reason)) {
            TaskKind kind = run == null ? null : run.offer().kind();
            int round = run == null ? 0 : run.offer().round();
            connection.audit(new AuditEntry(Instant.now(), settings.siteId(), taskId, kind, round,
                    AuditEntry.Event.REJECTED_BY_SERVER, reason, 0, 0, List.of()));
        }
    }

    // ---- statistics exchange ---------------------------------------------------------------------------------

    private void onStatsRequest(StatsRequest request) {
        String id = request.getRequestId();
        List<String> kinds = request.getKindsList().stream().map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList();
        connection.worker().submit(() -> {
            StatsReply reply;
            try {
                reply = connection.statistics().answer(request);
            } catch (StatisticsResponder.Refused e) {
                refuseStats(id, e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "site '" + settings.siteId() + "' could not answer statistics"
                        + " request '" + id + "'", e);
                refuseStats(id, "the site could not compute the statistics: " + e);
                return;
            }
            StatsReply sent = reply.toBuilder().setRequestId(id).build();
            if (!connection.audit(new AuditEntry(Instant.now(), settings.siteId(), id, null, 0,
                    AuditEntry.Event.STATISTICS_SENT, "", 0, sent.getSerializedSize(), kinds))) {
                refuseStats(id, "the site's audit log is unavailable; it sends nothing unrecorded");
                return;
            }
            out.send(SiteMessage.newBuilder().setStatsReply(sent).build());
        });
    }

    private void refuseStats(String requestId, String reason) {
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' refused statistics request ''{1}'': {2}", settings.siteId(),
                requestId, reason);
        connection.audit(new AuditEntry(Instant.now(), settings.siteId(), requestId, null, 0,
                AuditEntry.Event.STATISTICS_REFUSED, reason, 0, 0, List.of()));
        out.send(SiteMessage.newBuilder().setStatsRefused(org.fedmed.transport.proto.StatsRefused.newBuilder()
                .setRequestId(requestId).setReason(reason)).build());
    }

    /**
     * Runs on the inbound thread, not the worker, so that a task arriving right after it (at a site admitted after
     * the exchange) is reviewed with the data prepared from these statistics.
     */
    private void onMergedStats(MergedStats merged) {
        String problem = "";
        try {
            connection.statistics().merged(merged);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "site '" + settings.siteId() + "' could not use the merged"
                    + " statistics '" + merged.getRequestId() + "'", e);
            problem = "the site could not use the merged statistics: " + e;
        }
        connection.audit(new AuditEntry(Instant.now(), settings.siteId(), merged.getRequestId(), null, 0,
                AuditEntry.Event.STATISTICS_MERGED, problem, merged.getSerializedSize(), 0, merged.getSitesList()));
    }

    // ---- work ------------------------------------------------------------------------------------------------

    private void execute(TaskRun run) {
        run.started(connection.worker().submit(() -> work(run)));
    }

    private void work(TaskRun run) {
        TaskOffer offer = run.offer();
        try {
            float[] payload = run.assembler().target();
            if (offer.kind() == TaskKind.FIT) {
                FitTask task = WireCodec.fitTask(offer, settings.siteId(), payload);
                FitResult r = connection.client().fit(task);
                if (offer.release() == UpdateRelease.SECURE_SUM && offer.taskId().equals(r.taskId())) {
                    FitResult held = connection.heldUpdates().hold(task, r);
                    send(run, WireCodec.heldResultHeader(held, offer.taskId(), offer.round()), new float[0],
                            List.copyOf(held.trainMetrics().keySet()));
                    return;
                }
                if (!offer.taskId().equals(r.taskId())) {
                    throw new IllegalStateException("the site's client answered task '" + offer.taskId()
                            + "' with a result for task '" + r.taskId() + "'");
                }
                send(run, WireCodec.resultHeader(r, offer.taskId(), offer.round()), WireCodec.payload(r),
                        List.copyOf(r.trainMetrics().keySet()));
            } else {
                EvalResult r = connection.client().evaluate(WireCodec.evalTask(offer, settings.siteId(), payload));
                if (!offer.taskId().equals(r.taskId())) {
                    throw new IllegalStateException("the site's client answered task '" + offer.taskId()
                            + "' with a result for task '" + r.taskId() + "'");
                }
                send(run, WireCodec.resultHeader(r, offer.taskId(), offer.round()), new float[0],
                        List.copyOf(r.metrics().keySet()));
            }
        } catch (InterruptedException e) {
            run.finish(AuditEntry.Event.CANCELLED, "interrupted", 0, List.of());
            runs.remove(offer.taskId(), run);
        } catch (Exception e) {
            if (run.isFinished()) {
                return;
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "site '" + settings.siteId() + "' failed task '" + offer.taskId() + "'", e);
            runs.remove(offer.taskId(), run);
            sendFailed(offer.taskId(), reason);
            run.finish(AuditEntry.Event.FAILED, reason, 0, List.of());
        }
    }

    private void send(TaskRun run, ResultHeader h, float[] parameters, List<String> metricKeys) {
        if (run.isFinished()) {
            return;
        }
        TaskOffer offer = run.offer();
        long headerBytes = h.getSerializedSize();
        out.send(new Transfer<>(offer.taskId(), SiteMessage.newBuilder().setResult(h).build(),
                new ModelChunker(offer.taskId(), parameters, chunkBytes),
                c -> SiteMessage.newBuilder().setChunk(c).build(),
                payload -> {
                    runs.remove(offer.taskId(), run);
                    run.finish(AuditEntry.Event.SENT, "", headerBytes + payload, metricKeys);
                }));
    }

    private void sendFailed(String taskId, String reason) {
        out.send(SiteMessage.newBuilder().setTaskFailed(TaskFailed.newBuilder().setTaskId(taskId).setReason(reason)).build());
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    synchronized void startHeartbeats(Duration interval) {
        if (heartbeatsStopped) {
            return;
        }
        long ms = interval.toMillis();
        heartbeats = SiteTimers.TIMERS.scheduleAtFixedRate(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeats and the dial timeout; the session is over. */
    synchronized void stopHeartbeats() {
        heartbeatsStopped = true;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (dialCheck != null) {
            dialCheck.cancel(false);
        }
    }

    private void beat() {
        long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSeenNanos);
        if (silent > settings.serverSilenceTimeout().toMillis()) {
            cancel("the server was silent for " + silent + " ms");
            return;
        }
        out.send(SiteMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setSentAtUnixMs(System.currentTimeMillis())).build());
    }

    /** Stops every task of this stream, recording them as cancelled with {@code reason}. */
    void abandonTasks(String reason) {
        List<TaskRun> all = new ArrayList<>(runs.values());
        runs.clear();
        for (TaskRun run : all) {
            run.stop(AuditEntry.Event.CANCELLED, reason);
        }
    }

    /** Breaks the stream as a network failure would. */
    void cancel(String why) {
        out.cancel(why, null);
    }

    /** Ends the stream normally (the site is leaving). */
    void finish() {
        stopHeartbeats();
        out.complete();
    }
}
