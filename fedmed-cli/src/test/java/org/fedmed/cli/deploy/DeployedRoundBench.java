package org.fedmed.cli.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;

/**
 * A deployed Fed-Heart-Disease round against a simulated one, measured in the same run: one {@code fedmed server}
 * and four {@code fedmed site} processes on 127.0.0.1 (the plan of {@link ProcessesMatchSimulationTest}: logistic
 * regression, FedAvg, two local epochs; JVMs started as {@code bin/fedmed} starts them) against {@code simulate}'s federated regime of the same config in this
 * JVM. For the deployment it reports, from the run store, the median round as the engine timed it ({@code
 * duration_ms}: fit and evaluate on every site and the aggregation) and the median time from one round's end to the
 * next (that, plus what the server does between rounds: the checkpoint and the round's transaction); for the
 * simulation, the federated regime's wall time over its rounds, after a first run that warms the JIT up. The first
 * {@value #SKIPPED} deployed rounds are left out of the medians (the processes' JIT warms up). Every process it
 * starts is stopped before it returns, also when it fails. Needs {@code FEDMED_DATA}.
 *
 * <p>Usage: {@code DeployedRoundBench [rounds=100]}; prints a markdown table.
 */
public final class DeployedRoundBench {

    static final int SKIPPED = 20;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Federation.requireHeartDisease();
        String training = ProcessesMatchSimulationTest.TRAINING.replace("rounds: 15", "rounds: " + rounds);
        if (!training.contains("rounds: " + rounds)) {
            throw new IllegalStateException("the training section no longer says 'rounds: 15'");
        }
        double simulatedMs = simulatedRoundMillis(training, rounds);

        // -Dfedmed.bench.dir=/dev/shm puts the store, checkpoints and audit logs on tmpfs, where fsync costs nothing:
        // what is left is the round's cost without the disk.
        String where = System.getProperty("fedmed.bench.dir");
        Path tmp = where == null ? Files.createTempDirectory("fedmed-round-bench")
                : Files.createTempDirectory(Path.of(where), "fedmed-round-bench");
        Federation fed = Federation.provision(tmp, "bench", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "bench-fedavg", 4, training);
        long t0 = System.nanoTime();
        runToEnd(fed, serverYaml, tmp.resolve("logs"));
        double runSeconds = (System.nanoTime() - t0) / 1e9;
        long[] engine;
        long[] cycle;
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("bench-fedavg").orElseThrow();
            List<long[]> rows = rows(fed.store(), run.id());
            if (rows.size() != rounds) {
                throw new IllegalStateException("the deployment recorded " + rows.size() + " rounds, not " + rounds);
            }
            engine = rows.stream().skip(SKIPPED).mapToLong(r -> r[0]).toArray();
            List<Long> gaps = new ArrayList<>();
            for (int i = SKIPPED; i < rows.size(); i++) {
                gaps.add(rows.get(i)[1] - rows.get(i - 1)[1]);
            }
            cycle = gaps.stream().mapToLong(Long::longValue).toArray();
        }
        double engineMs = median(engine) / 1000.0;
        double cycleMs = median(cycle) / 1000.0;
        StringBuilder out = new StringBuilder();
        out.append(String.format("Fed-Heart-Disease, logistic regression, FedAvg, E = 2, %d rounds, files in %s;"
                + " load average %.1f%n%n", rounds, tmp.getParent(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        out.append("| | round | ratio to simulate |\n|---|---|---|\n");
        out.append(String.format("| `simulate`, in-process sites (wall / rounds) | %.2f ms | 1x |%n", simulatedMs));
        out.append(String.format("| server + 4 site processes, engine round (median `duration_ms`) | %.1f ms | %.1fx |%n",
                engineMs, engineMs / simulatedMs));
        out.append(String.format("| server + 4 site processes, round to round (median) | %.1f ms | %.1fx |%n",
                cycleMs, cycleMs / simulatedMs));
        out.append(String.format("%nThe deployed run took %.1f s from starting the server to its exit.%n", runSeconds));
        System.out.println(out);
    }

    /**
     * As {@link MatchedRun#runToEnd}, with the processes' JVMs as {@code bin/fedmed} starts them (both JIT compilers,
     * not the test processes' C1 only); every process is stopped before this returns.
     */
    static void runToEnd(Federation fed, Path serverYaml, Path logs) throws Exception {
        List<String> jvm = List.of("-Xmx512m");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, jvm, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, jvm, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}", MatchedRun.PER_SITE_DATA).toString()));
            }
            int exit = server.awaitExit(Duration.ofSeconds(600));
            if (exit != 0) {
                throw new IllegalStateException("the server exited with " + exit + ":\n" + server.output());
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
    }

    /** The simulated federated regime's wall time per round, in milliseconds, from a second run (the first warms up). */
    static double simulatedRoundMillis(String training, int rounds) {
        SimulationConfig cfg = ConfigLoader.parse(training + MatchedRun.PER_SITE_SIMULATION, "simulation", Map.of());
        var data = SimulationData.load(cfg, DatasetRegistry.fromEnvironment());
        new ComparisonExperiment(cfg, null).run(data);
        long t = System.nanoTime();
        var report = new ComparisonExperiment(cfg, null).run(data);
        long nanos = System.nanoTime() - t;
        if (report.federated().rounds().size() != rounds) {
            throw new IllegalStateException("the simulation ran " + report.federated().rounds().size() + " rounds");
        }
        return nanos / 1e6 / rounds;
    }

    /** Per round, in order: {@code duration_ms} and the end instant, both in microseconds. */
    static List<long[]> rows(Path store, long runId) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             PreparedStatement s = c.prepareStatement(
                     "SELECT duration_ms, finished FROM rounds WHERE run_id = ? ORDER BY round")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant finished = Instant.parse(rs.getString(2));
                    out.add(new long[]{rs.getLong(1) * 1000, Duration.between(Instant.EPOCH, finished).toNanos() / 1000});
                }
            }
        }
        return out;
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
