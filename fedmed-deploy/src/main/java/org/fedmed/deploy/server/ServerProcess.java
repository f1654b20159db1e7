package org.fedmed.deploy.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.pki.ServerKit;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.FallbackPolicy;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.run.ResumePoint;
import org.fedmed.server.run.RunResumer;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.PkiPeerAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The federation server process behind {@code fedmed server}: it admits sites by the federation's PKI, waits for
 * enough of them, and drives the same {@link RoundEngine} the simulation uses over the connected sites, making
 * every round durable (SQLite run store, safetensors checkpoint) before the next starts. Killed at any point, it
 * continues with {@code resume} from the last recorded round.
 */
public final class ServerProcess {

    private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());

    /** How a run ended: its id in the store and the engine's result. */
    public record Outcome(long runId, RunResult result) {
    }

    private final ServerConfig config;
    private final DatasetRegistry registry;
    private final PrintWriter out;

    public ServerProcess(ServerConfig config, DatasetRegistry registry, PrintWriter out) {
        this.config = config;
        this.registry = registry;
        this.out = out;
    }

    /**
     * Runs the configured run to its end: a new run, or with {@code resume} the latest run of that name from its
     * last recorded round.
     *
     * @param fallback what a resume does when the last checkpoint is unusable
     */
    public Outcome run(boolean resume, FallbackPolicy fallback) throws IOException, InterruptedException {
        ServerKit kit = ServerKit.load(config.kit());
        FederationPlan plan = FederationPlan.of(config.training(), kit.sites().size(), registry);
        try (RunStore store = RunStore.open(config.store())) {
            RunStart start = resume ? resumeRun(store, fallback) : newRun(store);
            PkiPeerAuthorizer authorizer = new PkiPeerAuthorizer(kit);
            ServerSettings settings = ServerSettings.defaults()
                    .withHeartbeat(config.heartbeatInterval(), config.heartbeatTimeout())
                    .withMaxUpdateNorm(config.maxUpdateNorm())
                    .withDeliveryOrder(config.deliveryOrder())
                    .withLabels(plan.strategy().name(), plan.specLabel());
            int port = config.listenPort() != null ? config.listenPort() : kit.address().port();
            InetSocketAddress bind = new InetSocketAddress(config.listenHost(), port);
            ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("fedmed-pki-reload").daemon().factory());
            try (StoreAuditEvents events = new StoreAuditEvents(store, start.runId());
                 FederationServer server = FederationServer.start(bind, MutualTls.serverCredentials(
                         kit.caCertificate(), kit.certificate(), kit.privateKey()), authorizer, settings, events)) {
                long every = config.crlReload().toMillis();
                reloads.scheduleWithFixedDelay(() -> reload(authorizer, server), every, every, TimeUnit.MILLISECONDS);
                out.printf("fedmed server: federation '%s', run '%s' (id %d), strategy %s, model %s%n",
                        kit.federation(), config.run(), start.runId(), plan.strategy().name(), plan.specLabel());
                out.printf("listening on %s:%d; waiting for %d of the %d sites %s%n", config.listenHost(),
                        server.port(), config.waitForSites(), kit.sites().size(), kit.sites());
                out.flush();
                PersistingRunListener persisting = new PersistingRunListener(store, start.runId(),
                        CheckpointDirectory.forRun(config.checkpoints(), start.runId(), config.keepCheckpoints()),
                        plan.specLabel());
                try {
                    awaitSites(server);
                    RunListener listeners = both(persisting, new RoundPrinter(out, plan.engine().lossMetric(),
                            config.training().rounds()));
                    RunResult result = new RoundEngine(plan.strategy(), server.pool(), plan.engine(), listeners)
                            .run(start.global() == null ? plan.initial() : start.global(), start.firstRound(),
                                    start.earlier());
                    server.endRun("run '" + config.run() + "' ended after round " + result.rounds().size());
                    return new Outcome(start.runId(), result);
                } catch (RuntimeException | InterruptedException e) {
                    persisting.runFailed(e);
                    throw e;
                }
            } finally {
                reloads.shutdownNow();
            }
        }
    }

    private record RunStart(long runId, int firstRound, List<RoundRecord> earlier, ModelParameters global) {
    }

    private RunStart newRun(RunStore store) {
        var existing = store.latestRun(config.run());
        if (existing.isPresent()) {
            boolean done = existing.get().status() == org.fedmed.server.store.RunStatus.COMPLETED;
            throw new IllegalArgumentException("run '" + config.run() + "' already exists in " + store.database()
                    + " (" + existing.get().status().dbValue() + ")" + (done ? "" : "; continue it with --resume,")
                    + " or give this run another name (key 'run' in " + config.file() + ")");
        }
        long id = store.createRun(config.run(), RunConfigJson.of(config), config.training().seed());
        return new RunStart(id, 1, List.of(), null);
    }

    private RunStart resumeRun(RunStore store, FallbackPolicy fallback) {
        var info = store.latestRun(config.run()).orElseThrow(() -> new IllegalArgumentException("cannot resume: no run"
                + " named '" + config.run() + "' in " + store.database() + " (key 'run' in " + config.file() + ")"));
        if (info.status() == org.fedmed.server.store.RunStatus.COMPLETED) {
            throw new IllegalArgumentException("run '" + config.run() + "' (id " + info.id() + ") already completed;"
                    + " there is nothing to resume. Export its model with 'fedmed export', or start a new run under"
                    + " another name (key 'run' in " + config.file() + ")");
        }
        RunConfigJson.requireSameTraining(info.configJson(), config);
        if (config.training().dp() != null) {
            throw new IllegalArgumentException("cannot resume run '" + config.run() + "': it uses dp, and the privacy"
                    + " accountant's state is not checkpointed, so the epsilon reported after a resume would be too low."
                    + " Start a new run instead");
        }
        Optional<ResumePoint> point = new RunResumer(store).resume(info.id(), fallback);
        if (point.isEmpty()) {
            out.printf("run '%s' (id %d) recorded no round; starting it again from round 1%n", config.run(), info.id());
            return new RunStart(info.id(), 1, List.of(), null);
        }
        ResumePoint p = point.get();
        out.printf("resuming run '%s' (id %d) after round %d from %s%n", config.run(), p.runId(), p.lastRound(),
                p.checkpoint().path());
        return new RunStart(p.runId(), p.firstRound(), p.earlier(), p.global());
    }

    private void awaitSites(FederationServer server) throws InterruptedException {
        if (!server.pool().awaitSites(config.waitForSites(), config.waitTimeout())) {
            List<String> connected = server.pool().availableSites();
            throw new IllegalStateException("only " + connected.size() + " site(s) " + connected + " connected within "
                    + config.waitTimeout().toSeconds() + " s; wait_for_sites is " + config.waitForSites()
                    + ". Check that the sites run and can reach this server, or lower wait_for_sites");
        }
    }

    /** Re-reads the site list and revocation list, and cuts the connected sites they no longer admit. */
    private void reload(PkiPeerAuthorizer authorizer, FederationServer server) {
        try {
            authorizer.reload();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot re-read the site list or revocation list; keeping the"
                    + " previous ones: " + e.getMessage());
            return;
        }
        List<String> cut = server.recheckAdmissions();
        if (!cut.isEmpty()) {
            out.printf("cut site(s) %s: no longer admitted by the site list or revocation list (see the audit log)%n",
                    cut);
            out.flush();
        }
    }

    private static RunListener both(RunListener first, RunListener second) {
        List<RunListener> all = new ArrayList<>(List.of(first, second));
        return new RunListener() {
            @Override
            public void roundStarted(int round, int totalRounds) {
                all.forEach(l -> l.roundStarted(round, totalRounds));
            }

            @Override
            public void siteFailed(SiteFailure failure) {
                all.forEach(l -> l.siteFailed(failure));
            }

            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                all.forEach(l -> l.roundFinished(record, global));
            }

            @Override
            public void runFinished(RunResult result) {
                all.forEach(l -> l.runFinished(result));
            }
        };
    }
}
