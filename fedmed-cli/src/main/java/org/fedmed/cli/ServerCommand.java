package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.server.ServerConfig;
import org.fedmed.deploy.server.ServerProcess;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.MissingKitException;
import org.fedmed.server.run.FallbackPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed server}: the federation server process; sites dial in over mutual TLS and it runs the rounds. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the federation server: admits sites by the federation's certificates, waits for",
                "enough of them, runs the rounds, and records every round (SQLite run store, safetensors",
                "checkpoint). SIGTERM or SIGINT stops the run cleanly (recorded as stopped); killed or",
                "stopped, it continues with --resume from its last recorded round."})
final class ServerCommand implements Callable<Integer> {

    /** How long a SIGTERM or SIGINT waits for the run to record its stop before the process exits regardless. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server config (YAML).")
    Path config;
    @Option(names = "--resume", description = "Continue the latest run of this name from its last recorded round.")
    boolean resume;
    @Option(names = "--allow-readable-key", description = "Start even if the kit's key file is readable by others"
            + " (warns); by default such a key is refused.")
    boolean allowReadableKey;
    @Option(names = "--fallback", paramLabel = "POLICY", defaultValue = "fail",
            description = "When resuming and the last checkpoint is unusable: fail (default) or previous-good-round.")
    String fallback;
    @Option(names = "--analytics", paramLabel = "FILE", description = "Instead of training: run one analytics exchange"
            + " over the connected sites' training rows (no count below k released), print the table, write JSON"
            + " to FILE, and end.")
    Path analytics;
    @Option(names = "--k", paramLabel = "K", description = "With --analytics: the smallest count released (a site may"
            + " ask for a larger one). Default: ${DEFAULT-VALUE}.")
    long k = org.fedmed.data.stats.AnalyticsOptions.DEFAULT_K;
    @Option(names = "--cross-tab", paramLabel = "COLUMN", description = "With --analytics: a categorical column to"
            + " cross-tabulate by the label.")
    String crossTab;
    @Option(names = "--epsilon", paramLabel = "E", description = "With --analytics: each site adds Gaussian noise to"
            + " the counts it releases at this epsilon, and sends no moments or histograms (so no mean, deviation or"
            + " quartile is released).")
    Double epsilon;
    @Option(names = "--delta", paramLabel = "D", description = "With --epsilon: the delta of the noise. Default:"
            + " ${DEFAULT-VALUE}.")
    double delta = 1e-5;
    @picocli.CommandLine.Mixin
    SurvivalOptions survival = new SurvivalOptions();
    @picocli.CommandLine.Mixin
    LogOptions log = new LogOptions();
    @picocli.CommandLine.Mixin
    TrackingOptions tracking = new TrackingOptions();
    @Option(names = "--tracking-dir", paramLabel = "DIR", description = "Where the run's metrics.csv, metrics.jsonl"
            + " and TensorBoard files go. Default: the folder 'tracking' beside the store.")
    Path trackingDir;

    @Override
    public Integer call() throws Exception {
        if (analytics != null) {
            if (resume) {
                throw new IllegalArgumentException("--analytics runs no training run; it cannot be combined with"
                        + " --resume");
            }
            ServerConfig cfg = ServerConfig.load(config);
            try {
                var server = new org.fedmed.deploy.server.AnalyticsServer(cfg, DatasetRegistry.fromEnvironment(),
                        spec.commandLine().getOut(), allowReadableKey ? KeyFilePolicy.ALLOW_READABLE
                        : KeyFilePolicy.REQUIRE_OWNER_ONLY);
                if (survival.asked()) {
                    if (crossTab != null || epsilon != null) {
                        throw new IllegalArgumentException("--survival-time cannot be combined with --cross-tab or"
                                + " --epsilon");
                    }
                    var report = server.runSurvival(analytics, k, survival.query(), survival.estimator(),
                            survival.confidence);
                    java.nio.file.Path png = new org.fedmed.sim.report.KaplanMeierPlot().write(report,
                            survival.plotBeside(analytics));
                    spec.commandLine().getOut().println("wrote " + png);
                    spec.commandLine().getOut().flush();
                    return 0;
                }
                server.run(analytics, k, crossTab, epsilon == null ? null
                        : new org.fedmed.data.stats.GaussianCountNoise(epsilon, delta, cfg.training().seed()));
            } catch (MissingKitException e) {
                throw e.namedBy(config, "kit");
            }
            return 0;
        }
        FallbackPolicy policy = switch (fallback.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "fail" -> FallbackPolicy.FAIL;
            case "previous_good_round" -> FallbackPolicy.PREVIOUS_GOOD_ROUND;
            default -> throw new IllegalArgumentException("option '--fallback': expected fail or previous-good-round,"
                    + " got '" + fallback + "'");
        };
        PrintWriter out = log.console(spec.commandLine().getOut(), "server", null);
        ServerConfig cfg = ServerConfig.load(config);
        ServerProcess process = new ServerProcess(cfg, DatasetRegistry.fromEnvironment(), out,
                allowReadableKey ? KeyFilePolicy.ALLOW_READABLE : KeyFilePolicy.REQUIRE_OWNER_ONLY)
                .withTracking(tracking.settings(trackingDir != null ? trackingDir
                        : cfg.store().toAbsolutePath().resolveSibling("tracking")));
        Thread onSignal = new Thread(() -> stopOnSignal(process), "fedmed-server-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        ServerProcess.Outcome outcome;
        try {
            outcome = process.run(resume, policy);
        } catch (MissingKitException e) {
            throw e.namedBy(config, "kit");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the stop to be recorded, then the JVM exits
            }
        }
        if (outcome.stopped()) {
            return 0;
        }
        out.printf("run '%s' (id %d) is stored in %s; write its model with: fedmed export --config %s --out model.safetensors%n",
                cfg.run(), outcome.runId(), cfg.store(), config);
        out.flush();
        return 0;
    }

    /**
     * The JVM runs this on SIGTERM or SIGINT: the run is stopped and recorded as stopped before the process exits
     * (with status 143 or 130, as the JVM reports a signal).
     */
    private static void stopOnSignal(ServerProcess process) {
        try {
            if (!process.stopAndAwait("the server was asked to stop (SIGTERM or SIGINT)", STOP_WAIT)) {
                System.err.println("fedmed server: the run did not stop within " + STOP_WAIT.toSeconds()
                        + " s; exiting anyway (the store keeps every round recorded so far; the run stays 'running'"
                        + " and --resume continues it)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
