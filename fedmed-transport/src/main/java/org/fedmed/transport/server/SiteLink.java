package org.fedmed.transport.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedmed.core.EvalResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.ProtocolVersion;
import org.fedmed.transport.proto.Cancel;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.ColumnDefinition;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.Heartbeat;
import org.fedmed.transport.proto.Hello;
import org.fedmed.transport.proto.Refusal;
import org.fedmed.transport.proto.Rejection;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.RunEnded;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.proto.Welcome;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.FlowControlledSender;
import org.fedmed.transport.wire.ModelChunker;
import org.fedmed.transport.wire.Transfer;

/**
 * The server's end of one site's stream. It admits the site on Hello (certificate, authorizer, claimed id), sends
 * it tasks with their models, receives and validates its results chunk by chunk, and decides the site's pending
 * tasks when it answers, is rejected or goes away. It keeps the certificate chain it admitted, so that the site can
 * be re-checked after the authorizer reloads its lists and cut, with a Refusal, when it is no longer admitted; at
 * the end of a run it tells the site so before closing. Before round 1 it carries the statistics exchange: a
 * request, the site's reply or refusal, and the merged statistics. Inbound messages are read one at a time (manual flow control),
 * so a result waiting for buffer budget holds its sender back instead of filling server memory.
 */
final class SiteLink implements StreamObserver<SiteMessage> {

    private static final System.Logger LOG = System.getLogger(SiteLink.class.getName());
    private static final int RECENTLY_CLOSED = 64;

    enum State { AWAITING_HELLO, ACTIVE, CLOSED }

    private final GrpcSitePool pool;
    private final ServerSettings settings;
    private final FederationEvents events;
    private final ServerCallStreamObserver<ServerMessage> call;
    private final FlowControlledSender<ServerMessage> out;
    private final SSLSession ssl;
    private final String peer;
    private final Map<String, PendingTask> open = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<StatsReply>> statsWaiting = new ConcurrentHashMap<>();
    private final Map<String, String> recentlyClosed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > RECENTLY_CLOSED;
        }
    };
    private volatile State state = State.AWAITING_HELLO;
    private volatile String siteId;
    private volatile X509Certificate[] admittedChain;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile long lastSeenEpochMillis = System.currentTimeMillis();
    private volatile boolean awaitingBudget;
    // Guarded by this: the result being received, and a task whose remaining chunks are to be ignored.
    private ResultReceiver receiving;
    private String discarding;

    SiteLink(GrpcSitePool pool, ServerCallStreamObserver<ServerMessage> call, SSLSession ssl, String peer) {
        this.pool = pool;
        this.settings = pool.settings();
        this.events = pool.events();
        this.call = call;
        this.out = new FlowControlledSender<>(call, this::sent);
        this.ssl = ssl;
        this.peer = peer;
    }

    /** Hooks the link to its call; run inside the service method, before it returns. */
    void start() {
        call.setOnReadyThreshold(settings.limits().chunkBytes() * 2);
        call.setOnReadyHandler(out::drain);
        call.setOnCancelHandler(() -> close("the site's call was cancelled", null));
        out.request(1);
    }

    State state() {
        return state;
    }

    /** The verified site id, or null before the site is admitted. */
    String siteId() {
        return siteId;
    }

    /** The remote address of the connection. */
    String peer() {
        return peer;
    }

    private String who() {
        String id = siteId;
        return id == null ? "peer " + peer : "site '" + id + "'";
    }

    // ---- inbound -------------------------------------------------------------------------------------------

    /** Counts a message handed to the call, once the peer is an admitted site (a refused peer is no site). */
    private void sent(ServerMessage m) {
        String id = siteId;
        if (id != null) {
            pool.traffic().sent(id, m.getSerializedSize());
        }
    }

    @Override
    public void onNext(SiteMessage message) {
        lastSeenNanos = System.nanoTime();
        lastSeenEpochMillis = System.currentTimeMillis();
        // Counted before it is handled, so a result's bytes are in before the round engine can see the result.
        long size = message.getSerializedSize();
        String admitted = siteId;
        if (admitted != null) {
            pool.traffic().received(admitted, size);
        }
        boolean readMore;
        try {
            readMore = handle(message);
            if (admitted == null && siteId != null) {
                pool.traffic().received(siteId, size); // the Hello that admitted it
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to handle a message from " + who(), e);
            close("the server failed to handle its message: " + e, Status.INTERNAL.withDescription("server error: " + e));
            return;
        }
        if (readMore) {
            out.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        close("stream broke: " + Status.fromThrowable(t), null);
    }

    @Override
    public void onCompleted() {
        close("the site closed its stream", Status.OK);
    }

    /** Handles one message; returns whether to read the next one now. */
    private synchronized boolean handle(SiteMessage m) {
        if (state == State.CLOSED) {
            return false;
        }
        if (state == State.AWAITING_HELLO) {
            if (m.hasHello()) {
                admit(m.getHello());
                return state == State.ACTIVE;
            }
            refuse("the first message must be Hello, got " + m.getBodyCase());
            return false;
        }
        switch (m.getBodyCase()) {
            case RESULT -> {
                return onResult(m.getResult());
            }
            case CHUNK -> onChunk(m.getChunk());
            case TASK_REFUSED -> declined(m.getTaskRefused().getTaskId(), "site '" + siteId + "' refused task '"
                    + m.getTaskRefused().getTaskId() + "': " + m.getTaskRefused().getReason());
            case TASK_FAILED -> declined(m.getTaskFailed().getTaskId(), "site '" + siteId + "' failed task '"
                    + m.getTaskFailed().getTaskId() + "': " + m.getTaskFailed().getReason());
            case STATS_REPLY -> statsAnswered(m.getStatsReply().getRequestId(), m.getStatsReply(), null,
                    m.getStatsReply().getSerializedSize());
            case STATS_REFUSED -> statsAnswered(m.getStatsRefused().getRequestId(), null,
                    m.getStatsRefused().getReason(), 0);
            case EXCHANGE -> pool.exchanges().piece(siteId, m.getExchange());
            case EXCHANGE_REFUSED -> pool.exchanges().refused(siteId, m.getExchangeRefused());
            case HEARTBEAT -> {
            }
            case HELLO -> LOG.log(System.Logger.Level.WARNING, "{0} sent a second Hello; ignored", who());
            case BODY_NOT_SET -> LOG.log(System.Logger.Level.WARNING, "{0} sent an empty message; ignored", who());
        }
        return true;
    }

    private void admit(Hello hello) {
        Optional<String> version = ProtocolVersion.mismatch("site '" + hello.getSiteId() + "'",
                hello.getProtocolVersion());
        if (version.isPresent()) {
            refuse(version.get());
            return;
        }
        X509Certificate[] chain;
        try {
            chain = peerChain();
        } catch (PeerRefusedException e) {
            refuse(e.getMessage());
            return;
        }
        String subject = chain[0].getSubjectX500Principal().getName();
        String id;
        try {
            id = pool.authorizer().authorize(chain);
        } catch (PeerRefusedException e) {
            refuse("certificate '" + subject + "' is not admitted: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "authorizer failed on certificate '" + subject + "' from " + peer, e);
            refuse("the server could not check certificate '" + subject + "': " + e);
            return;
        }
        if (id == null || id.isBlank()) {
            refuse("certificate '" + subject + "' identifies no site");
            return;
        }
        if (!id.equals(hello.getSiteId())) {
            refuse("Hello claims site id '" + hello.getSiteId() + "' but the certificate identifies site '" + id + "'");
            return;
        }
        Optional<String> badDefinition;
        try {
            badDefinition = settings.definitionCheck().refusal(hello.hasDefinition() ? report(hello) : null);
        } catch (RuntimeException e) {
            badDefinition = Optional.of("the server could not check its dataset definition: " + e);
        }
        if (badDefinition.isPresent()) {
            refuse("site '" + id + "': " + badDefinition.get());
            return;
        }
        siteId = id;
        admittedChain = chain;
        state = State.ACTIVE;
        out.send(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                .setProtocolVersion(ProtocolVersion.CURRENT).setSiteId(id)
                .setHeartbeatIntervalMs(settings.heartbeatInterval().toMillis())
                .setMaxModelBytes(settings.limits().maxModelBytes())
                .setChunkBytes(settings.limits().chunkBytes())).build());
        pool.activate(this);
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' joined from {1}", id, peer);
    }

    private static DefinitionReport report(Hello hello) {
        var d = hello.getDefinition();
        return new DefinitionReport(d.getSha256(), d.getColumnsList().stream().map(ColumnDefinition::getName).toList(),
                d.getColumnsList().stream().map(ColumnDefinition::getDescription).toList());
    }

    private X509Certificate[] peerChain() throws PeerRefusedException {
        if (ssl == null) {
            throw new PeerRefusedException("the connection is not TLS; a site certificate is required");
        }
        Certificate[] certs;
        try {
            certs = ssl.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new PeerRefusedException("no verified client certificate: " + e.getMessage());
        }
        if (certs == null || certs.length == 0) {
            throw new PeerRefusedException("no client certificate was presented");
        }
        X509Certificate[] chain = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            if (!(certs[i] instanceof X509Certificate x)) {
                throw new PeerRefusedException("client certificate " + i + " is not X.509 but " + certs[i].getType());
            }
            chain[i] = x;
        }
        return chain;
    }

    private void refuse(String reason) {
        LOG.log(System.Logger.Level.WARNING, "refused {0}: {1}", who(), reason);
        state = State.CLOSED;
        pool.forget(this);
        events.peerRefused(peerSubject(), peer, reason);
        out.send(ServerMessage.newBuilder().setRefusal(Refusal.newBuilder().setReason(reason)).build());
        out.complete();
    }

    /** The subject of the peer's certificate, or empty if it presented none that can be read. */
    private String peerSubject() {
        try {
            return peerChain()[0].getSubjectX500Principal().getName();
        } catch (PeerRefusedException e) {
            return "";
        }
    }

    /** Reports an accepted result: its header and payload, as many bytes as the site's audit log counts sent. */
    private Runnable received(ResultHeader h) {
        String id = siteId;
        return () -> events.resultReceived(id, h.getTaskId(), h.getSerializedSize() + h.getPayloadBytes());
    }

    private boolean onResult(ResultHeader h) {
        if (receiving != null) {
            ResultReceiver unfinished = receiving;
            stopReceiving();
            reject(unfinished.pending(), "the site began result '" + h.getTaskId() + "' before finishing the payload of '"
                    + unfinished.taskId() + "'");
        }
        String taskId = h.getTaskId();
        PendingTask p = open.get(taskId);
        if (p == null) {
            answerForNoOpenTask(h);
            discardPayloadOf(h);
            return true;
        }
        String problem = ResultChecks.problem(h, p.task(), settings.limits());
        if (problem != null) {
            reject(p, problem);
            discardPayloadOf(h);
            return true;
        }
        if (!(p.task() instanceof FitTask fit)) {
            p.succeed(new EvalResult(siteId, taskId, h.getNumExamples(), h.getMetricsMap()), () -> { }, received(h));
            return true;
        }
        if (fit.release() == UpdateRelease.SECURE_SUM) {
            p.succeed(HeldResults.of(h, fit, siteId), () -> { }, received(h));
            return true;
        }
        ResultReceiver r = new ResultReceiver(p, h, siteId,
                new UpdateIntake(fit.global(), fit.round(), settings.maxUpdateNorm()), pool.budget());
        if (h.getPayloadBytes() == 0) {
            r.allocate();
            p.succeed(r.result(), () -> { }, received(h));
            return true;
        }
        receiving = r;
        if (pool.budget().reserve(r.bytes(), () -> budgetGranted(r))) {
            r.markReserved();
            r.allocate();
            return true;
        }
        awaitingBudget = true;
        return false;
    }

    /** Runs when a waiting result's budget is granted: receive it, or give the budget back if it is moot. */
    private void budgetGranted(ResultReceiver r) {
        r.markReserved();
        boolean resume;
        synchronized (this) {
            awaitingBudget = false;
            if (state == State.CLOSED || receiving != r || r.pending().isDone()) {
                r.releaseBudget();
                if (receiving == r) {
                    stopReceiving();
                    discarding = r.taskId();
                }
            } else {
                r.allocate();
            }
            resume = state != State.CLOSED;
        }
        if (resume) {
            out.request(1);
        }
    }

    private void answerForNoOpenTask(ResultHeader h) {
        String taskId = h.getTaskId();
        String closedBecause;
        synchronized (recentlyClosed) {
            closedBecause = recentlyClosed.get(taskId);
        }
        if (closedBecause != null) {
            LOG.log(System.Logger.Level.INFO, "late result from {0} for task ''{1}'' dropped: {2}", who(), taskId,
                    closedBecause);
            sendRejection(taskId, "task '" + taskId + "' is closed (" + closedBecause + "); the result was dropped");
            return;
        }
        List<PendingTask> all = List.copyOf(open.values());
        if (all.size() == 1 && all.getFirst().task().round() == h.getRound()) {
            reject(all.getFirst(), "result names task '" + taskId + "' but the open task is '" + all.getFirst().taskId() + "'");
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} sent a result for unknown task ''{1}''; dropped", who(), taskId);
        sendRejection(taskId, "there is no open task '" + taskId + "'; the result was dropped");
    }

    private void onChunk(Chunk c) {
        ResultReceiver r = receiving;
        if (r != null && r.taskId().equals(c.getTaskId()) && r.allocated()) {
            PendingTask p = r.pending();
            if (p.isDone()) {
                LOG.log(System.Logger.Level.INFO, "late payload from {0} for task ''{1}'' dropped", who(), c.getTaskId());
                stopReceiving();
                discardRestAfter(c);
                return;
            }
            try {
                if (r.accept(c)) {
                    receiving = null;
                    if (!p.succeed(r.result(), r::releaseBudget, received(r.header()))) {
                        r.releaseBudget();
                    }
                }
            } catch (ChunkException | InvalidUpdateException e) {
                stopReceiving();
                discardRestAfter(c);
                reject(p, e.getMessage());
            }
            return;
        }
        if (c.getTaskId().equals(discarding)) {
            if (c.getLast()) {
                discarding = null;
            }
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} sent chunk {1} of task ''{2}'' without an open result; ignored",
                who(), c.getSeq(), c.getTaskId());
    }

    private void stopReceiving() {
        if (receiving != null) {
            receiving.releaseBudget();
            receiving = null;
        }
    }

    private void discardPayloadOf(ResultHeader h) {
        discarding = h.getPayloadBytes() > 0 ? h.getTaskId() : null;
    }

    private void discardRestAfter(Chunk c) {
        discarding = c.getLast() ? null : c.getTaskId();
    }

    private void declined(String taskId, String reason) {
        events.taskDeclined(siteId, taskId, reason);
        PendingTask p = open.get(taskId);
        if (p == null) {
            LOG.log(System.Logger.Level.INFO, "{0} (task no longer open)", reason);
            return;
        }
        LOG.log(System.Logger.Level.INFO, reason);
        p.fail(SiteFailure.Kind.ERROR, reason);
    }

    private void reject(PendingTask p, String reason) {
        String message = "update from site '" + siteId + "' rejected: " + reason;
        LOG.log(System.Logger.Level.WARNING, message);
        sendRejection(p.taskId(), reason);
        p.fail(SiteFailure.Kind.REJECTED, message);
    }

    /** Tells the site its result was rejected, and reports it. */
    private void sendRejection(String taskId, String reason) {
        events.updateRejected(siteId, taskId, reason);
        out.send(ServerMessage.newBuilder().setRejection(Rejection.newBuilder().setTaskId(taskId).setReason(reason)).build());
    }

    private void statsAnswered(String requestId, StatsReply reply, String refusal, long bytes) {
        CompletableFuture<StatsReply> waiting = statsWaiting.remove(requestId);
        if (waiting == null) {
            LOG.log(System.Logger.Level.WARNING, "{0} answered statistics request ''{1}'', which is not open; ignored",
                    who(), requestId);
            return;
        }
        if (reply != null) {
            events.statisticsReceived(siteId, requestId, bytes);
            waiting.complete(reply);
        } else {
            events.statisticsRefused(siteId, requestId, refusal);
            waiting.completeExceptionally(new StatisticsRefusedException("site '" + siteId + "' refused statistics"
                    + " request '" + requestId + "': " + refusal));
        }
    }

    // ---- outbound ------------------------------------------------------------------------------------------

    /**
     * Sends a statistics request; the future completes with the site's reply, or fails with
     * {@link StatisticsRefusedException} when it refuses, or when the link closes first.
     */
    CompletableFuture<StatsReply> requestStatistics(StatsRequest request) {
        CompletableFuture<StatsReply> answer = new CompletableFuture<>();
        synchronized (this) {
            if (state != State.ACTIVE) {
                answer.completeExceptionally(new StatisticsRefusedException(who() + " is not connected"));
                return answer;
            }
            statsWaiting.put(request.getRequestId(), answer);
        }
        events.statisticsRequested(siteId, request.getRequestId(), request.getKindsList().stream()
                .map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
        out.send(ServerMessage.newBuilder().setStatsRequest(request).build());
        return answer;
    }

    /** Sends the merged statistics; false if the link is not active. */
    boolean sendMergedStatistics(MergedStats merged) {
        if (state != State.ACTIVE) {
            return false;
        }
        events.mergedStatisticsSent(siteId, merged.getRequestId(), merged.getSitesList());
        out.send(ServerMessage.newBuilder().setMergedStats(merged).build());
        return true;
    }

    /** Sends a task and its payload (the model, then any auxiliary vectors); false if the link is no longer active. */
    boolean assign(PendingTask p, TaskHeader header, float[] payload) {
        synchronized (this) {
            if (state != State.ACTIVE) {
                return false;
            }
            open.put(p.taskId(), p);
            p.attach(this);
        }
        String id = p.taskId();
        events.taskSent(siteId, id, header.getKind() == org.fedmed.transport.proto.TaskKind.FIT ? "fit" : "evaluate",
                header.getRound(), header.getPayloadBytes());
        out.send(new Transfer<>(id, ServerMessage.newBuilder().setTask(header).build(),
                new ModelChunker(id, payload, settings.limits().chunkBytes()),
                c -> ServerMessage.newBuilder().setChunk(c).build(), null));
        return true;
    }

    /** Sends the pieces of one exchange stage's message; false if the link is not active. */
    boolean sendExchange(List<ServerMessage> pieces) {
        if (state != State.ACTIVE) {
            return false;
        }
        pieces.forEach(out::send);
        return true;
    }

    /** Forgets a decided task, remembering why so that a late answer is recognised. */
    void taskClosed(PendingTask p, String because) {
        open.remove(p.taskId(), p);
        synchronized (recentlyClosed) {
            recentlyClosed.put(p.taskId(), because);
        }
    }

    /**
     * Checks the certificate this link was admitted with against the authorizer again (it may have re-read its
     * lists); if it is no longer admitted, the site is told why in a Refusal and the link is closed, failing its
     * open tasks with that reason. Returns whether the link was closed. An authorizer that fails (rather than
     * refuses) leaves the link as it is: the check is repeated at the next reload.
     */
    boolean reauthorize() {
        X509Certificate[] chain = admittedChain;
        String id = siteId;
        if (state != State.ACTIVE || chain == null) {
            return false;
        }
        String subject = chain[0].getSubjectX500Principal().getName();
        String reason;
        try {
            String now = pool.authorizer().authorize(chain);
            if (id.equals(now)) {
                return false;
            }
            reason = "certificate '" + subject + "' now identifies site '" + now + "', not '" + id + "'";
        } catch (PeerRefusedException e) {
            reason = "certificate '" + subject + "' is no longer admitted: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "authorizer failed re-checking certificate '" + subject + "' of "
                    + who() + "; the site stays connected until the next check", e);
            return false;
        }
        if (state != State.ACTIVE) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} is cut: {1}", who(), reason);
        events.admissionWithdrawn(id, peer, reason);
        return endWith(ServerMessage.newBuilder().setRefusal(Refusal.newBuilder().setReason(reason)).build(),
                "its admission was withdrawn: " + reason);
    }

    /** Tells an admitted site that the run is over and ends its stream normally; false if it was not admitted. */
    boolean runEnded(String reason) {
        return endWith(ServerMessage.newBuilder().setRunEnded(RunEnded.newBuilder().setReason(reason)).build(),
                "the run ended: " + reason);
    }

    /**
     * Sends {@code last} (ahead of any queued model transfer, which is dropped) and closes the link with
     * {@code reason}; false if the link was not active.
     */
    private boolean endWith(ServerMessage last, String reason) {
        if (state != State.ACTIVE) {
            return false;
        }
        out.send(last);
        close(reason, Status.OK);
        return true;
    }

    /** Tells the site to stop working on a task, and drops its model transfer and result upload. */
    void cancelTask(PendingTask p, String reason) {
        out.cancel(p.taskId());
        out.send(ServerMessage.newBuilder().setCancel(Cancel.newBuilder().setTaskId(p.taskId()).setReason(reason)).build());
        synchronized (this) {
            if (receiving != null && receiving.pending() == p && !awaitingBudget) {
                stopReceiving();
                discarding = p.taskId();
            }
        }
    }

    /** The wall-clock time of the latest message from the site (a heartbeat or any other). */
    long lastSeenEpochMillis() {
        return lastSeenEpochMillis;
    }

    /** Sends a heartbeat, or drops the site if it has been silent too long. Called by the server's timer. */
    void tick(long nowNanos) {
        State s = state;
        if (s == State.CLOSED) {
            return;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(nowNanos - lastSeenNanos);
        if (!awaitingBudget && silentMillis > settings.heartbeatTimeout().toMillis()) {
            String reason = "no message for " + silentMillis + " ms (heartbeat timeout "
                    + settings.heartbeatTimeout().toMillis() + " ms)";
            close(reason, Status.UNAVAILABLE.withDescription(reason));
            return;
        }
        if (s == State.ACTIVE) {
            out.send(ServerMessage.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(System.currentTimeMillis())).build());
        }
    }

    /**
     * Ends the link: its open tasks fail as errors with {@code reason}, and the call ends with {@code status}
     * (null when the call is already gone, OK to complete it normally).
     */
    void close(String reason, Status status) {
        boolean admitted;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            admitted = state == State.ACTIVE;
            state = State.CLOSED;
            stopReceiving();
            discarding = null;
        }
        pool.forget(this);
        if (admitted) {
            pool.exchanges().linkClosed(siteId, reason);
            events.siteLeft(siteId, reason);
        }
        for (PendingTask p : List.copyOf(open.values())) {
            p.fail(SiteFailure.Kind.ERROR, who() + " disconnected during the task: " + reason);
        }
        for (String requestId : List.copyOf(statsWaiting.keySet())) {
            CompletableFuture<StatsReply> waiting = statsWaiting.remove(requestId);
            if (waiting != null) {
                waiting.completeExceptionally(new StatisticsRefusedException(who() + " disconnected before answering"
                        + " statistics request '" + requestId + "': " + reason));
            }
        }
        if (status == null) {
            out.ended();
        } else if (status.isOk()) {
            out.complete();
        } else {
            out.fail(status);
        }
        LOG.log(System.Logger.Level.INFO, "{0} left: {1}", who(), reason);
    }
}
