package org.fedmed.transport.server;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.fedmed.transport.ProtocolVersion;
import org.fedmed.transport.proto.Cancel;
import org.fedmed.transport.proto.Heartbeat;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.Refusal;
import org.fedmed.transport.proto.RunEnded;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.proto.Welcome;
import org.fedmed.transport.wire.FlowControlledSender;
import org.fedmed.transport.wire.ModelChunker;
import org.fedmed.transport.wire.Transfer;

/**
 * The server's end of one site's stream, and its lifecycle: awaiting Hello, active, closed. On Hello it asks
 * {@link SiteAdmission} and either welcomes the site (registering it with the {@link Membership}) or refuses it; once
 * admitted, its results go to the site's {@link ResultIntake}, its statistics answers to its
 * {@link StatisticsCalls} and its answers to a multi-exchange round's stages to the pool's {@link ExchangeDesk}; tasks, statistics requests, heartbeats and the end of a run go out through one
 * {@link FlowControlledSender}. It keeps the certificate chain it admitted, so that the site can be re-checked after
 * the authorizer reloads its lists and cut, with a Refusal, when it is no longer admitted. When the link closes (the
 * site leaves, goes silent past the heartbeat timeout, is replaced, cut or told the run ended) every open task fails
 * as an error naming why, and every open statistics request fails. Inbound messages are read one at a time (manual
 * flow control), so a result waiting for buffer budget holds its sender back instead of filling server memory. The
 * link's collaborators are handed to it; it reaches nothing else of the server. It is longer than most files because
 * it is the one place that owns the stream's state: every method here reads or moves it, and what does not
 * (admission, result intake, statistics) lives in the classes named above.
 */
final class SiteLink implements StreamObserver<SiteMessage> {

    private static final System.Logger LOG = System.getLogger(SiteLink.class.getName());

    enum State { AWAITING_HELLO, ACTIVE, CLOSED }

    /** The server's registry of links: told when a link is admitted and when it ends. */
    interface Membership {
        /** The link was admitted and welcomed; it becomes its site's live stream. */
        void admitted(SiteLink link);

        /** The link ended (closed or refused); it takes no more tasks. */
        void ended(SiteLink link);
    }

    private final ServerCallStreamObserver<ServerMessage> call;
    private final FlowControlledSender<ServerMessage> out;
    private final SSLSession ssl;
    private final String peer;
    private final ServerSettings settings;
    private final SiteAdmission admission;
    private final FederationEvents events;
    private final ResultBufferBudget budget;
    private final TrafficCounts traffic;
    private final Membership membership;
    private final Executor blocking;
    private final ExchangeDesk exchanges;
    private final EventLoopGroup network;
    private volatile State state = State.AWAITING_HELLO;
    private volatile String siteId;
    private volatile X509Certificate[] admittedChain;
    // Set once, on admission, before the state becomes ACTIVE.
    private volatile ResultIntake intake;
    private volatile StatisticsCalls statistics;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile long lastSeenEpochMillis = System.currentTimeMillis();

    /**
     * @param ssl  the stream's TLS session, null if the connection is not TLS (the site is then refused)
     * @param peer the remote address, for messages
     * @param blocking where the Hello is handled (see {@link #onNext})
     * @param network  the server's event loops, one of which runs this link's call
     */
    SiteLink(ServerCallStreamObserver<ServerMessage> call, SSLSession ssl, String peer, ServerSettings settings,
             SiteAdmission admission, FederationEvents events, ResultBufferBudget budget, TrafficCounts traffic,
             Membership membership, Executor blocking, ExchangeDesk exchanges,
             EventLoopGroup network) {
        this.network = network;
        this.call = call;
        this.out = new FlowControlledSender<>(call, this::sent);
        this.ssl = ssl;
        this.peer = peer;
        this.settings = settings;
        this.admission = admission;
        this.events = events;
        this.budget = budget;
        this.traffic = traffic;
        this.membership = membership;
        this.blocking = blocking;
        this.exchanges = exchanges;
    }

    /**
     * Hooks the link to its call; run inside the service method, before it returns, which runs on the event loop of
     * the call's connection: from then on the link's messages are sent on that loop, whichever thread queues them.
     */
    void start() {
        var loop = FlowControlledSender.loopOfThisThread(network);
        if (loop != null) {
            out.drainOn(loop);
        }
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
            traffic.sent(id, m.getSerializedSize());
        }
    }

    /**
     * Handles a message on the transport's thread, except the Hello, whose admission may block briefly (an
     * authorizer reading its lists) and so runs on {@code blocking}; the next message is read only once a message
     * was handled, so the order holds. Anything else is handled before this returns, as a chunk's data must be
     * ({@link org.fedmed.transport.wire.AliasingMarshaller}): a stream that does not open with a Hello is refused here.
     */
    @Override
    public void onNext(SiteMessage message) {
        if (state == State.AWAITING_HELLO && message.hasHello()) {
            try {
                blocking.execute(() -> receive(message));
            } catch (RejectedExecutionException e) {
                close("the server is shutting down", Status.UNAVAILABLE.withDescription("the server is shutting down"));
            }
            return;
        }
        receive(message);
    }

    private void receive(SiteMessage message) {
        lastSeenNanos = System.nanoTime();
        lastSeenEpochMillis = System.currentTimeMillis();
        // Counted before it is handled, so a result's bytes are in before the round engine can see the result.
        long size = message.getSerializedSize();
        String admitted = siteId;
        if (admitted != null) {
            traffic.received(admitted, size);
        }
        boolean readMore;
        try {
            readMore = handle(message);
            if (admitted == null && siteId != null) {
                traffic.received(siteId, size); // the Hello that admitted it
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
                admit(m);
                return state == State.ACTIVE;
            }
            refuse("the first message must be Hello, got " + m.getBodyCase());
            return false;
        }
        switch (m.getBodyCase()) {
            case RESULT -> {
                return intake.onResult(m.getResult());
            }
            case CHUNK -> intake.onChunk(m.getChunk());
            case TASK_REFUSED -> intake.declined(m.getTaskRefused().getTaskId(), "site '" + siteId + "' refused task '"
                    + m.getTaskRefused().getTaskId() + "': " + m.getTaskRefused().getReason());
            case TASK_FAILED -> intake.declined(m.getTaskFailed().getTaskId(), "site '" + siteId + "' failed task '"
                    + m.getTaskFailed().getTaskId() + "': " + m.getTaskFailed().getReason());
            case STATS_REPLY -> statistics.replied(m.getStatsReply().getRequestId(), m.getStatsReply(),
                    m.getStatsReply().getSerializedSize());
            case STATS_REFUSED -> statistics.refused(m.getStatsRefused().getRequestId(), m.getStatsRefused().getReason());
            case EXCHANGE -> {
                return exchanges.piece(siteId, m.getExchange(), () -> out.request(1));
            }
            case EXCHANGE_REFUSED -> exchanges.refused(siteId, m.getExchangeRefused());
            case HEARTBEAT -> {
            }
            case HELLO -> LOG.log(System.Logger.Level.WARNING, "{0} sent a second Hello; ignored", who());
            case BODY_NOT_SET -> LOG.log(System.Logger.Level.WARNING, "{0} sent an empty message; ignored", who());
        }
        return true;
    }

    private void admit(SiteMessage m) {
        switch (admission.admit(m.getHello(), ssl, peer)) {
            case SiteAdmission.Verdict.Refused r -> refuse(r.reason());
            case SiteAdmission.Verdict.Admitted a -> {
                String id = a.siteId();
                intake = new ResultIntake(id, settings, budget, events, out, () -> out.request(1));
                statistics = new StatisticsCalls(id, events);
                siteId = id;
                admittedChain = a.chain();
                state = State.ACTIVE;
                out.send(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                        .setProtocolVersion(ProtocolVersion.CURRENT).setSiteId(id)
                        .setHeartbeatIntervalMs(settings.heartbeatInterval().toMillis())
                        .setMaxModelBytes(settings.limits().maxModelBytes())
                        .setChunkBytes(settings.limits().chunkBytes())).build());
                membership.admitted(this);
                LOG.log(System.Logger.Level.INFO, "site ''{0}'' joined from {1}", id, peer);
            }
        }
    }

    private void refuse(String reason) {
        LOG.log(System.Logger.Level.WARNING, "refused {0}: {1}", who(), reason);
        state = State.CLOSED;
        membership.ended(this);
        events.peerRefused(SiteAdmission.peerSubject(ssl), peer, reason);
        out.send(ServerMessage.newBuilder().setRefusal(Refusal.newBuilder().setReason(reason)).build());
        out.complete();
    }

    // ---- outbound ------------------------------------------------------------------------------------------

    /**
     * Sends a statistics request; the future completes with the site's reply, or fails with
     * {@link StatisticsRefusedException} when it refuses, or when the link closes first.
     */
    CompletableFuture<StatsReply> requestStatistics(StatsRequest request) {
        CompletableFuture<StatsReply> answer;
        synchronized (this) {
            if (state != State.ACTIVE) {
                answer = new CompletableFuture<>();
                answer.completeExceptionally(new StatisticsRefusedException(who() + " is not connected"));
                return answer;
            }
            answer = statistics.open(request.getRequestId());
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
            intake.opened(p);
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

    /** Sends the pieces of one exchange stage's message ({@link ExchangeDesk}); false if the link is not active. */
    boolean sendExchange(java.util.List<ServerMessage> pieces) {
        if (state != State.ACTIVE) {
            return false;
        }
        pieces.forEach(out::send);
        return true;
    }

    /** Forgets a decided task, remembering why so that a late answer is recognised. */
    void taskClosed(PendingTask p, String because) {
        intake.taskClosed(p, because);
    }

    /** Tells the site to stop working on a task, and drops its model transfer and result upload. */
    void cancelTask(PendingTask p, String reason) {
        out.cancel(p.taskId());
        out.send(ServerMessage.newBuilder().setCancel(Cancel.newBuilder().setTaskId(p.taskId()).setReason(reason)).build());
        intake.cancelled(p);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

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
        Optional<String> cut = admission.recheck(chain, id, who());
        if (cut.isEmpty() || state != State.ACTIVE) {
            return false;
        }
        String reason = cut.get();
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
        out.sendLast(last);
        close(reason, Status.OK);
        return true;
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
        ResultIntake results = intake;
        boolean awaitingBudget = results != null && results.awaitingBudget()
                || siteId != null && exchanges.awaitingBudget(siteId);
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
        }
        ResultIntake results = intake;
        if (results != null) {
            results.stop();
        }
        membership.ended(this);
        if (admitted) {
            exchanges.linkClosed(siteId, reason);
            events.siteLeft(siteId, reason);
        }
        if (results != null) {
            results.failOpen(who() + " disconnected during the task: " + reason);
        }
        StatisticsCalls calls = statistics;
        if (calls != null) {
            calls.failAll(reason);
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
