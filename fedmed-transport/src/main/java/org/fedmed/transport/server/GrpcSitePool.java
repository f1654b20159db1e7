package org.fedmed.transport.server;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Task;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.OverSelection;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.SiteTraffic;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.wire.AuxiliaryPayload;
import org.fedmed.transport.wire.Layouts;
import org.fedmed.transport.wire.WireCodec;

/**
 * The sites connected to a {@link FederationServer}, as a {@link SitePool} the round engine drives unchanged.
 *
 * <p>Guarantees: {@link #availableSites()} lists only sites whose certificate was admitted and whose stream is
 * live, one stream per site (a reconnect replaces the old stream). {@code fit} and {@code evaluate} send each task
 * to its site and report every outcome exactly once, from the calling thread, never concurrently, in arrival
 * order (or task order, per {@link ServerSettings#deliveryOrder()}). A result reaches the sink only after it
 * answered its task's id, kind and round, matched the global model's layout and dtype, fitted the size limits,
 * held only finite values and stayed within the update norm bound; otherwise it is reported as
 * {@link SiteFailure.Kind#REJECTED} and the site is told why. Sites that have not answered by the deadline are
 * reported as {@link SiteFailure.Kind#TIMEOUT} and told to stop; their late results are dropped. A fit that wants
 * fewer results than it sent tasks (over-selection) closes as soon as that many have been delivered, counted as
 * they arrive: the sites still open are cut the same way, with a reason that says so. A site that disconnects or
 * refuses a task is reported as {@link SiteFailure.Kind#ERROR} with the reason, and so is a site cut because its
 * certificate is no longer admitted (see {@link FederationServer#recheckAdmissions()}). Before round 1 it carries the
 * statistics exchange ({@link #requestStatistics}, {@link #shareMergedStatistics}); the caller merges. It counts the
 * bytes of every message to and from each admitted site, reported once each by {@link #takeTraffic}.
 */
public final class GrpcSitePool implements SitePool {

    private final ServerSettings settings;
    private final EventLoopGroup network;
    private final SiteAdmission admission;
    private final FederationEvents events;
    private final ResultBufferBudget budget;
    private final Executor background;
    private final TrafficCounts traffic = new TrafficCounts();
    private final ExchangeDesk exchanges;
    private final Map<String, SiteLink> active = new ConcurrentHashMap<>();
    private final Set<SiteLink> links = ConcurrentHashMap.newKeySet();
    private final Object joined = new Object();
    private final SiteLink.Membership membership = new SiteLink.Membership() {
        @Override
        public void admitted(SiteLink link) {
            activate(link);
        }

        @Override
        public void ended(SiteLink link) {
            forget(link);
        }
    };
    private volatile MergedStats merged;
    private volatile String run = "";

    /** @param events called as given: the caller wraps a listener that may throw in {@link GuardedEvents} */
    /** @param network the server's event loops, on which each link's messages are sent ({@link SiteLink#start}) */
    GrpcSitePool(ServerSettings settings, PeerAuthorizer authorizer, FederationEvents events, Executor background,
                 EventLoopGroup network) {
        this.network = network;
        this.settings = settings;
        this.admission = new SiteAdmission(authorizer, settings.definitionCheck());
        this.events = events;
        long capacity = settings.deliveryOrder() == DeliveryOrder.ARRIVAL ? settings.resultBufferBytes() : Long.MAX_VALUE;
        this.budget = new ResultBufferBudget(capacity, background);
        this.background = background;
        this.exchanges = new ExchangeDesk(settings.limits().chunkBytes(), settings.limits().maxModelBytes(),
                settings.resultBufferBytes(), background);
    }

    /**
     * Sends each site its message of one stage of a multi-exchange round on its stream, and reports each answer as
     * its last piece arrives ({@link ExchangeDesk}); a site not connected, refusing, leaving, or silent past the
     * deadline fails with the reason. The bytes count towards the sites' traffic.
     */
    @Override
    public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
        exchanges.run(messages, deadline, sink, active::get);
    }

    /** A new link for a stream a peer opened, with the pool's collaborators; it joins the pool once admitted. */
    SiteLink newLink(ServerCallStreamObserver<ServerMessage> call, SSLSession ssl, String peer) {
        SiteLink link = new SiteLink(call, ssl, peer, settings, admission, events, budget, traffic, membership,
                background, exchanges, network);
        links.add(link);
        return link;
    }

    /**
     * The bytes sent to and received from each site since the previous call: the serialized size of every protocol
     * message on the site's stream (Welcome, tasks and their chunks, heartbeats, statistics, rejections; Hello,
     * results and their chunks, refusals, statistics replies), counted as the message is handed to gRPC to send, and
     * as gRPC delivers it, before it is handled. gRPC's 5-byte message framing, HTTP/2 and TLS are not counted. A site
     * that reconnected is counted across its streams; a peer that was never admitted is not counted.
     */
    @Override
    public Map<String, SiteTraffic> takeTraffic() {
        return traffic.take();
    }

    @Override
    public List<String> availableSites() {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, SiteLink> e : active.entrySet()) {
            if (e.getValue().state() == SiteLink.State.ACTIVE) {
                ids.add(e.getKey());
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * For each connected site, when the server last heard from it: its latest message of any kind, heartbeats
     * included (a connected site sends its own at the interval the server asks, so a live site is about that
     * recent).
     */
    public Map<String, java.time.Instant> lastHeard() {
        Map<String, java.time.Instant> out = new java.util.TreeMap<>();
        for (Map.Entry<String, SiteLink> e : active.entrySet()) {
            if (e.getValue().state() == SiteLink.State.ACTIVE) {
                out.put(e.getKey(), java.time.Instant.ofEpochMilli(e.getValue().lastSeenEpochMillis()));
            }
        }
        return out;
    }

    /** Waits until at least {@code count} sites are connected; returns whether they are. */
    public boolean awaitSites(int count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (joined) {
            while (availableSites().size() < count) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(joined, left);
            }
            return true;
        }
    }

    /** Bytes of incoming results held right now (being received or waiting for the aggregator). */
    public long resultBytesHeld() {
        return budget.inUse();
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, FitResult.class);
    }

    @Override
    public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
        OverSelection.closesEarly(enough, tasks.size());
        dispatch(tasks, deadline, enough, sink, FitResult.class);
    }

    @Override
    public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
        dispatch(tasks, deadline, tasks.size(), sink, EvalResult.class);
    }

    private <R> void dispatch(List<? extends Task> tasks, Duration deadline, int enough, OutcomeSink<R> sink,
                              Class<R> type) {
        long start = System.nanoTime();
        Dispatch<R> dispatch = new Dispatch<>(type, tasks);
        Map<ModelParameters, ModelLayout> layouts = new IdentityHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            PendingTask p = dispatch.task(i);
            Map<String, ModelParameters> auxiliary = WireCodec.auxiliary(task);
            long bytes = AuxiliaryPayload.bytes(task.global().layout(), auxiliary.size());
            if (bytes > settings.limits().maxModelBytes()) {
                p.fail(SiteFailure.Kind.ERROR, "the global model" + (auxiliary.isEmpty() ? ""
                        : " with auxiliary vectors " + auxiliary.keySet()) + " is " + bytes
                        + " bytes, above max_model_bytes " + settings.limits().maxModelBytes());
                continue;
            }
            ModelLayout layout = layouts.computeIfAbsent(task.global(), g -> Layouts.toWire(g.layout()));
            SiteLink link = active.get(task.siteId());
            if (link == null || !link.assign(p, WireCodec.taskHeader(task, layout, bytes, settings.strategy(),
                    settings.modelSpec(), run), WireCodec.payload(task))) {
                p.fail(SiteFailure.Kind.ERROR, "site '" + task.siteId() + "' is not connected");
            }
        }
        dispatch.run(start, deadline, sink, settings.deliveryOrder(), enough);
    }

    // ---- statistics exchange ----------------------------------------------------------------------------

    /**
     * Sends {@code request} to each of {@code siteIds} and returns, per site in the given order, the future of its
     * reply: it fails with {@link StatisticsRefusedException} when the site refuses, is not connected, or leaves
     * before answering. The caller decides how long to wait.
     */
    public Map<String, CompletableFuture<StatsReply>> requestStatistics(
            List<String> siteIds, StatsRequest request) {
        Map<String, CompletableFuture<StatsReply>> out =
                new LinkedHashMap<>();
        for (String id : siteIds) {
            SiteLink link = active.get(id);
            if (link == null) {
                var missing = new CompletableFuture<StatsReply>();
                missing.completeExceptionally(new StatisticsRefusedException("site '" + id + "' is not connected"));
                out.put(id, missing);
            } else {
                out.put(id, link.requestStatistics(request));
            }
        }
        return out;
    }

    /**
     * Sends the merged statistics to every connected site, and from now on to every site as it is admitted (a site
     * that reconnects, or joins late, gets the same statistics); returns how many were sent now.
     */
    public int shareMergedStatistics(MergedStats merged) {
        this.merged = merged;
        int sent = 0;
        for (SiteLink link : List.copyOf(active.values())) {
            if (link.sendMergedStatistics(merged)) {
                sent++;
            }
        }
        return sent;
    }

    // ---- link registry ----------------------------------------------------------------------------------

    /**
     * Makes an admitted link the site's one live stream, replacing (and closing) an older one, and reports the
     * join (after the old stream's departure) before waking those waiting for sites.
     */
    private void activate(SiteLink link) {
        SiteLink old = active.put(link.siteId(), link);
        if (old != null && old != link) {
            old.close("replaced by a newer connection from the same site",
                    io.grpc.Status.ABORTED.withDescription("replaced by a newer connection from site '" + link.siteId() + "'"));
        }
        events.siteJoined(link.siteId(), link.peer());
        var shared = merged;
        if (shared != null) {
            link.sendMergedStatistics(shared);
        }
        synchronized (joined) {
            joined.notifyAll();
        }
    }

    private void forget(SiteLink link) {
        links.remove(link);
        if (link.siteId() != null) {
            active.remove(link.siteId(), link);
        }
    }

    /** Heartbeats and the silence check, for every link. */
    void tick() {
        long now = System.nanoTime();
        for (SiteLink link : links) {
            link.tick(now);
        }
    }

    /** Re-checks every admitted link against the authorizer; returns the ids of the sites cut, sorted. */
    List<String> reauthorizeAll() {
        List<String> cut = new ArrayList<>();
        for (SiteLink link : List.copyOf(links)) {
            String id = link.siteId();
            if (link.reauthorize()) {
                cut.add(id);
            }
        }
        cut.sort(null);
        return cut;
    }

    /**
     * Names the run that every task sent from now on belongs to ({@code TaskHeader.run}): the same name for a run and
     * its resume, another for another run, so that the sites use the state they keep for a run only in that run.
     */
    public void nameRun(String runName) {
        if (runName == null || runName.isBlank()) {
            throw new IllegalArgumentException("a run's name on the wire must not be blank, got '" + runName + "'");
        }
        run = runName;
    }

    /** Tells every admitted site that the run is over and ends its stream; returns how many were told. */
    int endRun(String reason) {
        int told = 0;
        for (SiteLink link : List.copyOf(links)) {
            if (link.runEnded(reason)) {
                told++;
            }
        }
        return told;
    }

    void closeAll(String reason) {
        for (SiteLink link : List.copyOf(links)) {
            link.close(reason, io.grpc.Status.UNAVAILABLE.withDescription(reason));
        }
    }
}
