package org.fedmed.transport.site;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fedmed.core.SiteClient;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.HeldUpdates;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.Welcome;
import org.fedmed.transport.wire.AliasingMarshaller;

/**
 * A site's side of the federation: it dials the server (sites dial out; nothing dials in), says Hello, and answers
 * the tasks it receives with its local {@link SiteClient}, one task at a time. Before any model is received, each
 * task is put to the site's {@link TaskPolicy}; refused tasks are answered with the reason and never run. Every
 * task is recorded in the {@link SiteAuditLog}. The site never runs anything the server sends other than fit or
 * evaluate of its own client's model, and the fixed statistics of its {@link StatisticsResponder} (every request
 * and answer of the statistics exchange is audited too), and its own secagg client's answers to the stages of a
 * secure sum about an update it kept ({@link #keepingUpdatesWith}), each stage audited.
 *
 * <p>When the connection drops, the task in progress is abandoned and the site redials with capped, jittered
 * exponential backoff, then rejoins. A dial not welcomed within the dial timeout is given up and retried, so a
 * site that has seen its connection fail is back within {@link SiteSettings#reconnectBound()} of the server
 * listening again. A connection made with {@link #dialing} opens a fresh channel for every dial, so no state of an
 * earlier connection (a dead transport, or gRPC's own reconnect backoff, which grows to two minutes and would add
 * to the site's) can delay a redial. A Refusal from the server is final, whether it answers Hello or comes later
 * because the site's certificate was revoked: the task in progress is cut, the refusal is recorded in the audit
 * log, the connection stops and {@link #refusal()} says why. Heartbeats go out at the interval the server asks
 * for; a server silent for longer than the site's timeout is treated as a dropped connection. When the server
 * announces that its run has ended, {@link #runsEnded()} counts it, the audit log records it, and the site redials
 * as after any drop (a site that serves one run only closes the connection instead).
 */
public final class SiteConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SiteConnection.class.getName());
    /** How long a closed connection's own channel waits for the server to end the stream before it is cut. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** Where the connection stands. */
    public enum State { IDLE, CONNECTING, CONNECTED, BACKING_OFF, REFUSED, CLOSED }

    private final Channel shared;
    private final Supplier<? extends ManagedChannel> channels;
    private final SiteSettings settings;
    private final SiteClient client;
    private final TaskPolicy policy;
    private final SiteAuditLog auditLog;
    private final ExecutorService worker;
    private volatile StatisticsResponder statistics = StatisticsResponder.NONE;
    private volatile HeldUpdates held;
    private final SplittableRandom jitter;
    private State state = State.IDLE;
    private SiteSession session;
    private ScheduledFuture<?> reconnect;
    private int failedAttempts;
    private int timesJoined;
    private int runsEnded;
    private String refusal;
    private String lastError;

    /**
     * A connection whose every dial uses {@code channel}. Before each redial the channel's own connect backoff is
     * reset, so that it does not add to the site's; a connection made with {@link #dialing} is immune to any
     * stale state of a shared channel as well.
     *
     * @param channel a channel to the server (see {@link SiteChannels}); not owned, the caller shuts it down
     * @param client  the site's own model and data; its id must equal {@code settings.siteId()}
     */
    public SiteConnection(Channel channel, SiteSettings settings, SiteClient client, TaskPolicy policy,
                          SiteAuditLog auditLog) {
        this(Objects.requireNonNull(channel, "channel"), null, settings, client, policy, auditLog);
    }

    /**
     * A connection that opens a fresh channel from {@code channels} for every dial (see
     * {@link SiteChannels#dialer}) and shuts it down when that dial's stream ends; closing the connection shuts
     * down the last one.
     *
     * @param client the site's own model and data; its id must equal {@code settings.siteId()}
     */
    public static SiteConnection dialing(Supplier<? extends ManagedChannel> channels, SiteSettings settings,
                                         SiteClient client, TaskPolicy policy, SiteAuditLog auditLog) {
        return new SiteConnection(null, Objects.requireNonNull(channels, "channels"), settings, client, policy, auditLog);
    }

    private SiteConnection(Channel shared, Supplier<? extends ManagedChannel> channels, SiteSettings settings,
                           SiteClient client, TaskPolicy policy, SiteAuditLog auditLog) {
        this.held = new HeldUpdates(settings.siteId(), ExchangeParticipants.NONE);
        if (!settings.siteId().equals(client.siteId())) {
            throw new IllegalArgumentException("site client '" + client.siteId() + "' does not match site id '"
                    + settings.siteId() + "' of the connection settings");
        }
        this.shared = shared;
        this.channels = channels;
        this.settings = settings;
        this.client = client;
        this.policy = policy;
        this.auditLog = auditLog;
        this.worker = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("fedmed-site-" + settings.siteId() + "-worker").factory());
        this.jitter = new SplittableRandom(settings.siteId().hashCode() * 0x9E3779B97F4A7C15L);
    }

    /** Starts dialing; returns at once. */
    public synchronized void start() {
        if (state != State.IDLE) {
            throw new IllegalStateException("site '" + settings.siteId() + "': connection already started (" + state + ")");
        }
        connect();
    }

    private synchronized void connect() {
        if (state == State.CLOSED || state == State.REFUSED) {
            return;
        }
        state = State.CONNECTING;
        ManagedChannel own = null;
        Channel channel = shared;
        try {
            if (channels != null) {
                own = channels.get();
                channel = own;
            } else if (shared instanceof ManagedChannel m) {
                m.resetConnectBackoff();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "site '" + settings.siteId() + "' cannot open a channel to the server", e);
            lastError = "cannot open a channel to the server: " + e;
            state = State.BACKING_OFF;
            Duration delay = settings.backoff().delay(failedAttempts++, jitter);
            reconnect = SiteTimers.TIMERS.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
            notifyAll();
            return;
        }
        session = new SiteSession(this, own);
        session.open(FederationGrpc.newStub(channel).withInterceptors(AliasingMarshaller.clientInterceptor())
                .withOnReadyThreshold(settings.limits().chunkBytes() * 2));
    }

    public synchronized State state() {
        return state;
    }

    /** Waits until the server has welcomed the site; false on timeout, refusal or close. */
    public synchronized boolean awaitConnected(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (state != State.CONNECTED) {
            long left = end - System.nanoTime();
            if (left <= 0 || state == State.REFUSED || state == State.CLOSED) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** The server's reason, if it refused the site. */
    public synchronized Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Why the last connection ended or failed, if it did. */
    public synchronized Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** How many times the server welcomed this site (1 after the first join; more after reconnects). */
    public synchronized int timesJoined() {
        return timesJoined;
    }

    /** How many times a server this site was connected to announced that its run ended. */
    public synchronized int runsEnded() {
        return runsEnded;
    }

    /**
     * Breaks the current connection as a network failure would: the task in progress is abandoned and the site
     * redials after its backoff.
     */
    public void dropConnection(String why) {
        SiteSession s;
        synchronized (this) {
            s = session;
        }
        if (s != null) {
            s.cancel(why);
        }
    }

    /** Leaves the federation: ends the stream, stops work and does not redial. */
    @Override
    public void close() {
        SiteSession s;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            s = session;
            session = null;
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            notifyAll();
        }
        if (s != null) {
            s.abandonTasks("the site is shutting down");
            s.finish();
            s.releaseChannelAfter(CLOSE_GRACE);
        }
        worker.shutdownNow();
    }

    // ---- called by the session ----------------------------------------------------------------------------

    SiteSettings settings() {
        return settings;
    }

    String siteId() {
        return settings.siteId();
    }

    SiteClient client() {
        return client;
    }

    /**
     * Takes part in secure sums with {@code participants} (the site's own secagg client): a fit that asks the site to
     * keep its update is trained, the update handed to them, and the later stages answered by them alone. By default
     * the site takes part in none and fails such a fit. Call before {@link #start()}.
     */
    public SiteConnection keepingUpdatesWith(ExchangeParticipants participants) {
        this.held = new HeldUpdates(settings.siteId(), java.util.Objects.requireNonNull(participants, "participants"));
        return this;
    }

    HeldUpdates heldUpdates() {
        return held;
    }

    StatisticsResponder statistics() {
        return statistics;
    }

    /**
     * Answers the statistics exchange with {@code responder} (by default every request is refused); call before
     * {@link #start()}.
     */
    public SiteConnection answeringStatistics(StatisticsResponder responder) {
        this.statistics = java.util.Objects.requireNonNull(responder, "responder");
        return this;
    }

    TaskPolicy policy() {
        return policy;
    }

    ExecutorService worker() {
        return worker;
    }

    void welcomed(SiteSession s, Welcome welcome) {
        synchronized (this) {
            if (s != session) {
                return;
            }
            state = State.CONNECTED;
            failedAttempts = 0;
            timesJoined++;
            lastError = null;
            notifyAll();
        }
        s.startHeartbeats(Duration.ofMillis(Math.max(10, welcome.getHeartbeatIntervalMs())));
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' joined the federation", settings.siteId());
    }

    void refused(SiteSession s, String reason) {
        synchronized (this) {
            if (s != session) {
                return;
            }
        }
        LOG.log(System.Logger.Level.ERROR, "site ''{0}'' was refused by the server: {1}", settings.siteId(), reason);
        s.stopHeartbeats();
        s.abandonTasks("the server refused the site: " + reason);
        // Recorded before the state says REFUSED: a process that leaves on REFUSED closes its audit log.
        audit(new AuditEntry(Instant.now(), settings.siteId(), "", null, 0, AuditEntry.Event.REFUSED_BY_SERVER, reason,
                0, 0, List.of()));
        synchronized (this) {
            if (s == session) {
                state = State.REFUSED;
                refusal = reason;
                lastError = "refused by the server: " + reason;
                session = null;
                notifyAll();
            }
        }
        s.releaseChannel();
    }

    void runEnded(SiteSession s, String reason) {
        synchronized (this) {
            if (s != session) {
                return;
            }
            runsEnded++;
            notifyAll();
        }
        LOG.log(System.Logger.Level.INFO, "site ''{0}'': the server ended the run: {1}", settings.siteId(), reason);
        audit(new AuditEntry(Instant.now(), settings.siteId(), "", null, 0, AuditEntry.Event.RUN_ENDED, reason, 0, 0,
                List.of()));
    }

    void sessionEnded(SiteSession s, String reason) {
        s.releaseChannel();
        Duration delay;
        boolean wasConnected;
        synchronized (this) {
            if (s != session) {
                return;
            }
            session = null;
            lastError = reason;
            if (state == State.CLOSED || state == State.REFUSED) {
                return;
            }
            wasConnected = state == State.CONNECTED;
            state = State.BACKING_OFF;
            delay = settings.backoff().delay(failedAttempts++, jitter);
            reconnect = SiteTimers.TIMERS.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
            notifyAll();
        }
        s.stopHeartbeats();
        s.abandonTasks("the connection dropped: " + reason);
        LOG.log(System.Logger.Level.INFO, "site ''{0}'' {1} ({2}); redialing in {3} ms", settings.siteId(),
                wasConnected ? "lost its connection" : "could not connect", reason, Long.toString(delay.toMillis()));
    }

    /** Appends to the audit log; false (and logged) if the log failed. */
    boolean audit(AuditEntry entry) {
        try {
            auditLog.record(entry);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "site '" + settings.siteId() + "': audit log failed to record " + entry, e);
            return false;
        }
    }
}
