package org.fedmed.deploy.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundHistory;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.RunStoppedException;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.stats.DefinitionAdmission;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.ServerKit;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.FallbackPolicy;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.run.ResumePoint;
import org.fedmed.server.run.RunResumer;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.PkiPeerAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The federation server process behind {@code fedmed server}: it admits sites by the federation's PKI, waits for
 * enough of them, and drives the same {@link RoundEngine} the simulation uses over the connected sites, making
 * every round durable (SQLite run store, safetensors checkpoint) before the next starts. Killed at any point, it
 * continues with {@code resume} from the last recorded round. It admits only sites whose dataset definition
 * fingerprint equals its own ({@link DefinitionAdmission}), and before round 1 (of a new run and of a resume) it runs
 * the {@link StatisticsExchange}, from which the sites build their preprocessing and the model takes its size. A run
 * whose dataset is a model family's definition (fedmed-imaging's images, {@link FederationPlan#family}) has neither:
 * the family sizes the model from the definition, and each site prepares its images as its definition says.
 *
 * <p>Run records stay honest: a start refused before it listens (a bad kit, a site count above the kit's, the port
 * in use) writes nothing to the store; the run is created, or reopened for a resume, only once the server listens.
 * A start that fails after that but before round 1 (sites not arriving within the wait) is marked {@code failed},
 * and a run that ended before recording any round does not keep its name from a new start. {@link #stop} (the
 * command's SIGTERM and SIGINT handler) ends the run cleanly as {@code stopped}: the round in flight is abandoned,
 * the sites are disconnected, every recorded round and queued audit entry is kept, and {@code resume} continues it.
 */
public final class ServerProcess {

    private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());
    private static final Duration STOP_POLL = Duration.ofMillis(200);

    /**
     * How a run ended: its id in the store, and the engine's result, or empty when the run was {@linkplain #stop
     * stopped} (it is then {@code stopped} in the store, and {@code resume} continues it).
     */
    public record Outcome(long runId, Optional<RunResult> result) {
        public Outcome {
            Objects.requireNonNull(result, "result");
        }

        /** Whether the run was stopped before its end. */
        public boolean stopped() {
            return result.isEmpty();
        }
    }

    private final ServerConfig config;
    private final DatasetRegistry registry;
    private final PrintWriter out;
    private final AtomicReference<String> stopRequest = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final KeyFilePolicy keys;
    private volatile RoundEngine engine;
    private org.fedmed.server.track.TrackingSettings tracking;
    private org.fedmed.server.track.RunTracker tracker;

    public ServerProcess(ServerConfig config, DatasetRegistry registry, PrintWriter out) {
        this(config, registry, out, KeyFilePolicy.REQUIRE_OWNER_ONLY);
    }

    /** A server process whose kit's key file is checked as {@code keys} says (others-readable is refused by default). */
    public ServerProcess(ServerConfig config, DatasetRegistry registry, PrintWriter out, KeyFilePolicy keys) {
        this.config = config;
        this.registry = registry;
        this.out = out;
        this.keys = keys;
    }

    /**
     * This process, also tracking the run's metrics to {@code settings} ({@code metrics.csv}, {@code metrics.jsonl},
     * TensorBoard, MLflow if named) under the name {@code <run>-<run id>}; call before {@link #run}.
     */
    public ServerProcess withTracking(org.fedmed.server.track.TrackingSettings settings) {
        this.tracking = settings;
        return this;
    }

    /**
     * Runs the configured run to its end: a new run, or with {@code resume} the latest run of that name from its
     * last recorded round.
     *
     * @param fallback what a resume does when the last checkpoint is unusable
     */
    public Outcome run(boolean resume, FallbackPolicy fallback) throws IOException, InterruptedException {
        try {
            return runToEnd(resume, fallback);
        } finally {
            if (tracker != null) {
                tracker.close();
            }
            ended.countDown();
        }
    }

    /**
     * Asks a run in progress to stop, from any thread, and returns at once: while waiting for sites or between
     * rounds the run stops there; in the middle of a round the round is abandoned (its sites are told to stop) and
     * the rounds recorded before it stand. {@link #run} then marks the run {@code stopped} with the round reached,
     * audits it, disconnects the sites and returns an outcome that {@linkplain Outcome#stopped() says so}.
     */
    public void stop(String reason) {
        stopRequest.compareAndSet(null, reason);
        RoundEngine e = engine;
        if (e != null) {
            e.requestStop(stopRequest.get());
        }
    }

    /** {@link #stop}, then waits up to {@code timeout} for {@link #run} to have recorded the stop and returned. */
    public boolean stopAndAwait(String reason, Duration timeout) throws InterruptedException {
        stop(reason);
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Outcome runToEnd(boolean resume, FallbackPolicy fallback) throws IOException, InterruptedException {
        ServerKit kit = ServerKit.load(config.kit(), keys);
        SiteCountCheck.requireWithinKit(config, kit);
        FederationPlan plan = FederationPlan.of(config.training(), kit.sites().size(), registry,
                config.file().toAbsolutePath().getParent());
        // a model family's dataset (fedmed-imaging's images): no tabular definition check, no statistics exchange
        boolean family = FederationPlan.family(config.training(), config.file().toAbsolutePath().getParent())
                .isPresent();
        try (RunStore store = RunStore.open(config.store())) {
            RunInfo resuming = resume ? resumable(store) : null;
            if (!resume) {
                requireNameFree(store);
            }
            PkiPeerAuthorizer authorizer = new PkiPeerAuthorizer(kit);
            ServerSettings settings = ServerSettings.defaults()
                    .withHeartbeat(config.heartbeatInterval(), config.heartbeatTimeout())
                    // the plan's bound is the study's, applied by simulate too; the transport refuses early at the
                    // stricter of it and the operator's own
                    .withMaxUpdateNorm(Math.min(config.maxUpdateNorm(), config.training().strategy().maxUpdateNorm()))
                    .withDeliveryOrder(config.deliveryOrder())
                    .withLabels(plan.strategy().name(), plan.specLabel());
            if (!family) {
                settings = settings.withDefinitionCheck(DefinitionAdmission.of(config.training().dataset(),
                        definition().schema()));
            }
            int port = config.listenPort() != null ? config.listenPort() : kit.address().port();
            InetSocketAddress bind = new InetSocketAddress(config.listenHost(), port);
            // before the run is created or reopened: a missing token or a port in use changes no run
            org.fedmed.dashboard.Dashboard dashboard = startDashboard(kit);
            ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("fedmed-pki-reload").daemon().factory());
            try (StoreAuditEvents events = new StoreAuditEvents(store);
                 FederationServer server = listen(bind, kit, authorizer, settings, events)) {
                RunStart start = resume ? resumeRun(store, resuming, fallback) : newRun(store, family);
                events.attach(start.runId());
                server.pool().nameRun(kit.federation() + "/" + config.run() + "#" + start.runId() + "@"
                        + store.latestRun(config.run()).filter(r -> r.id() == start.runId())
                        .map(r -> r.created().toString()).orElse(""));
                long every = config.crlReload().toMillis();
                reloads.scheduleWithFixedDelay(() -> reload(authorizer, server), every, every, TimeUnit.MILLISECONDS);
                long beat = config.heartbeatInterval().toMillis();
                reloads.scheduleWithFixedDelay(() -> recordContacts(store, start.runId(), server), beat, beat,
                        TimeUnit.MILLISECONDS);
                out.printf("fedmed server: federation '%s', run '%s' (id %d), strategy %s, model %s%n",
                        kit.federation(), config.run(), start.runId(), plan.strategy().name(), plan.specLabel());
                if (config.training().secureAggregation() != null) {
                    out.printf("secure aggregation: X25519 on %s%n",
                            org.fedmed.secagg.crypto.X25519.implementation());
                }
                out.printf("listening on %s:%d; waiting for %d of the %d sites %s%n", config.listenHost(),
                        server.port(), config.waitForSites(), kit.sites().size(), kit.sites());
                if (port != kit.address().port()) {
                    // the sites' kits dial the address the federation was provisioned with
                    out.printf("warning: 'listen' in %s binds port %d, but the sites' kits dial %s; unless a proxy"
                            + " or port forward sits between them, set listen to port %d or leave it out%n",
                            config.file(), port, kit.address(), kit.address().port());
                }
                out.flush();
                PersistingRunListener persisting = new PersistingRunListener(store, start.runId(),
                        CheckpointDirectory.forRun(config.checkpoints(), start.runId(), config.keepCheckpoints()),
                        plan.specLabel(), plan.strategy()::state);
                if (start.firstRound() > 1) { // resumed after a recorded round
                    plan.strategy().restore(start.strategyState());
                }
                try {
                    awaitSites(server, start.firstRound());
                    FederationPlan sized = plan;
                    if (!family) {
                        StatisticsExchange.Result stats = new StatisticsExchange(server.pool(), definition().schema(),
                                Duration.ofSeconds(config.training().roundDeadlineSeconds()), out).run();
                        sized = plan.withFeatures(stats.featureNames().size(), config.training().seed());
                        if (!stats.featureNames().equals(start.inputs())) {
                            store.amendRunConfig(start.runId(), RunConfigJson.of(config, stats.featureNames()),
                                    "model inputs settled by the statistics exchange: " + stats.featureNames().size());
                        }
                    }
                    RunListener listeners = both(persisting, new RoundPrinter(out, plan.objective(),
                            config.training().rounds()));
                    if (tracking != null) {
                        tracker = org.fedmed.server.track.RunTracker.open(tracking);
                        listeners = RunListener.all(listeners, tracker.listener(config.run() + "-" + start.runId(),
                                java.util.Map.of("run", config.run(), "federation", kit.federation(),
                                        "strategy", plan.strategy().name(), "model", plan.specLabel())));
                    }
                    if (plan.setup().privacy() != null) {
                        PrivacyPrinter privacy = new PrivacyPrinter(out, plan.setup().privacy(), tracker,
                                config.run() + "-" + start.runId());
                        privacy.started(start.firstRound());
                        listeners = both(listeners, privacy);
                    }
                    // the run store keeps every round; the result keeps the last, so a long run holds a constant amount
                    RoundEngine rounds = new RoundEngine(plan.strategy(), server.pool(), plan.engine(), listeners,
                            RoundHistory.LATEST);
                    engine = rounds;
                    if (stopRequest.get() != null) {
                        rounds.requestStop(stopRequest.get());
                    }
                    RunResult result = rounds.run(start.global() == null ? sized.initial() : start.global(),
                            start.firstRound(), start.earlier());
                    recordContacts(store, start.runId(), server);
                    server.endRun("run '" + config.run() + "' ended after round " + result.roundsRun());
                    return new Outcome(start.runId(), Optional.of(result));
                } catch (RunStoppedException e) {
                    persisting.runFailed(e);
                    String stopped = "run '" + config.run() + "' (id " + start.runId() + ") stopped ";
                    if (e.lastFinishedRound() == 0) {
                        // a run that recorded no round does not hold its name: a plain start begins it anew
                        out.printf("%sbefore round 1 of %d: %s. No round was recorded; start it again with: fedmed"
                                + " server --config %s%n", stopped, config.training().rounds(), e.getMessage(),
                                config.file());
                    } else {
                        out.printf("%safter round %d of %d: %s. Continue it with: fedmed server --config %s --resume%n",
                                stopped, e.lastFinishedRound(), config.training().rounds(), e.getMessage(),
                                config.file());
                    }
                    out.flush();
                    return new Outcome(start.runId(), Optional.empty());
                } catch (RuntimeException | InterruptedException e) {
                    persisting.runFailed(e);
                    throw e;
                }
            } finally {
                reloads.shutdownNow();
                if (dashboard != null) {
                    dashboard.close();
                }
            }
        }
    }

    /** Binds the server; a port in use is named, with the key that changes it, before any run is written. */
    private FederationServer listen(InetSocketAddress bind, ServerKit kit, PkiPeerAuthorizer authorizer,
                                    ServerSettings settings, StoreAuditEvents events) throws IOException {
        var credentials = MutualTls.serverCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey());
        try {
            return FederationServer.start(bind, credentials, authorizer, settings, events);
        } catch (IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IOException("cannot listen on " + bind.getHostString() + ":" + bind.getPort() + ": "
                    + root.getMessage() + ". Is another server using that port? Set 'listen' in " + config.file()
                    + " to use another; no run was created or changed in " + config.store(), e);
        }
    }

    /** @param inputs the model inputs the run's stored config names (empty when it names none) */
    private record RunStart(long runId, int firstRound, Iterable<RoundRecord> earlier, ModelParameters global,
                            List<String> inputs, StrategyState strategyState) {
    }

    /**
     * Refuses a new run whose name is taken: by a completed run, a run that recorded a round, or a run still
     * {@code running} (live, or killed: resume it). A run that ended before recording any round leaves the name free.
     */
    private void requireNameFree(RunStore store) {
        var existing = store.latestRun(config.run());
        if (existing.isEmpty()) {
            return;
        }
        RunInfo run = existing.get();
        boolean recorded = store.lastRecordedRound(run.id()).isPresent();
        if (!recorded && run.status() != RunStatus.RUNNING && run.status() != RunStatus.COMPLETED) {
            out.printf("run '%s' (id %d) ended %s before recording any round; starting a new run of that name%n",
                    config.run(), run.id(), run.status().dbValue());
            return;
        }
        boolean done = run.status() == RunStatus.COMPLETED;
        throw new IllegalArgumentException("run '" + config.run() + "' already exists in " + store.database()
                + " (" + run.status().dbValue() + "): " + (done ? "give" : "continue it with --resume, or give")
                + " this run another name (key 'run' in " + config.file() + ")");
    }

    /** The definition of the dataset the run trains ({@code training.dataset}: a name, or a path from the config). */
    private org.fedmed.data.definition.DatasetDefinition definition() {
        return registry.definition(config.training().dataset(), config.file().toAbsolutePath().getParent());
    }

    private RunStart newRun(RunStore store, boolean family) {
        List<String> inputs = family ? List.of() : org.fedmed.data.prep.Preprocessing.featureNamesWithoutIndicators(
                definition().schema(),
                config.training().oneHot());
        long id = store.createRun(config.run(), RunConfigJson.of(config, inputs), config.training().seed());
        return new RunStart(id, 1, List.of(), null, inputs, StrategyState.EMPTY);
    }

    /** Checks, without changing the store, that the latest run of this name can be resumed with this config. */
    private RunInfo resumable(RunStore store) {
        var info = store.latestRun(config.run()).orElseThrow(() -> new IllegalArgumentException("cannot resume: no run"
                + " named '" + config.run() + "' in " + store.database() + " (key 'run' in " + config.file() + ")"));
        if (info.status() == RunStatus.COMPLETED) {
            throw new IllegalArgumentException("run '" + config.run() + "' (id " + info.id() + ") already completed;"
                    + " there is nothing to resume. Export its model with 'fedmed export', or start a new run under"
                    + " another name (key 'run' in " + config.file() + ")");
        }
        RunConfigJson.requireSameTraining(info.configJson(), config);
        return info;
    }

    private RunStart resumeRun(RunStore store, RunInfo info, FallbackPolicy fallback) {
        Optional<ResumePoint> point = new RunResumer(store).resume(info.id(), fallback);
        if (point.isEmpty()) {
            out.printf("run '%s' (id %d) recorded no round; starting it again from round 1%n", config.run(), info.id());
            return new RunStart(info.id(), 1, List.of(), null, RunConfigJson.inputs(info.configJson()),
                    StrategyState.EMPTY);
        }
        ResumePoint p = point.get();
        out.printf("resuming run '%s' (id %d) after round %d from %s%n", config.run(), p.runId(), p.lastRound(),
                p.checkpoint().path());
        return new RunStart(p.runId(), p.firstRound(), p.earlier(), p.global(), RunConfigJson.inputs(info.configJson()),
                p.strategyState());
    }

    /** Waits for wait_for_sites sites, or a stop (checked every 200 ms), or the wait timeout. */
    private void awaitSites(FederationServer server, int firstRound) throws InterruptedException {
        long end = System.nanoTime() + config.waitTimeout().toNanos();
        while (!server.pool().awaitSites(config.waitForSites(),
                Duration.ofNanos(Math.max(0, Math.min(STOP_POLL.toNanos(), end - System.nanoTime()))))) {
            if (stopRequest.get() != null) {
                throw new RunStoppedException(stopRequest.get() + " while waiting for sites, before round " + firstRound,
                        firstRound - 1, null);
            }
            if (System.nanoTime() - end < 0) {
                continue;
            }
            List<String> connected = server.pool().availableSites();
            throw new IllegalStateException("only " + connected.size() + " site(s) " + connected + " connected within "
                    + config.waitTimeout().toSeconds() + " s; wait_for_sites is " + config.waitForSites()
                    + ". Check that the sites run and can reach this server, or lower wait_for_sites");
        }
    }

    /** Re-reads the site list and revocation list, and cuts the connected sites they no longer admit. */
    /** Stores when the server last heard from each connected site, for the dashboard's sites table. */
    private static void recordContacts(RunStore store, long runId, FederationServer server) {
        try {
            store.recordContacts(runId, server.pool().lastHeard());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the sites' last contact in the run store: "
                    + e.getMessage());
        }
    }

    private void reload(PkiPeerAuthorizer authorizer, FederationServer server) {
        PkiPeerAuthorizer.Change change;
        try {
            change = authorizer.reload();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot re-read the site list or revocation list; keeping the"
                    + " previous ones: " + e.getMessage());
            return;
        }
        if (!change.isEmpty()) {
            out.printf("re-read the server kit: %s%n", change.describe());
            out.flush();
        }
        List<String> cut = server.recheckAdmissions();
        if (!cut.isEmpty()) {
            out.printf("cut site(s) %s: no longer admitted by the site list or revocation list (see the audit log)%n",
                    cut);
            out.flush();
        }
    }

    /**
     * The web dashboard over this run's store (read-only), when {@code dashboard.enabled}: over TLS with the kit's
     * certificate, asking for the kit's operator token; {@code null} when disabled.
     */
    private org.fedmed.dashboard.Dashboard startDashboard(ServerKit kit) {
        ServerConfig.Dashboard d = config.dashboard();
        if (!d.enabled()) {
            return null;
        }
        var settings = new org.fedmed.dashboard.DashboardSettings(config.store(), d.host(), d.port(),
                org.fedmed.pki.OperatorToken.read(kit.directory()), null, Duration.ofSeconds(1))
                .withTls(new org.fedmed.dashboard.DashboardSettings.Tls(kit.certificate(), kit.privateKey()));
        org.fedmed.dashboard.Dashboard dash = org.fedmed.dashboard.Dashboard.start(settings);
        out.printf("dashboard on %s (operator token: %s in the kit)%n", dash.url(),
                kit.directory().resolve(org.fedmed.pki.KitLayout.OPERATOR_TOKEN));
        out.flush();
        return dash;
    }

    private static RunListener both(RunListener first, RunListener second) {
        return RunListener.all(first, second);
    }
}
