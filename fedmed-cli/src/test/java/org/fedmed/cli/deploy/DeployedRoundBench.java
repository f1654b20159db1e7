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
import org.fedmed.pki.SecureFiles;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.fedmed.transport.bench.TransferBench;

/**
 * A deployed Fed-Heart-Disease round against a simulated one, measured in the same run: one {@code fedmed server}
 * and four {@code fedmed site} processes on 127.0.0.1 (the plan of {@link ProcessesMatchSimulationTest}: logistic
 * regression, FedAvg, two local epochs; JVMs started as {@code bin/fedmed} starts them) against {@code simulate}'s federated regime of the same config in this
 * JVM. For the deployment it reports, from the run store, the median round as the engine timed it ({@code
 * duration_ms}: fit and evaluate on every site and the aggregation) and the median time from one round's end to the
 * next (that, plus what the server does between rounds: the checkpoint and the round's transaction); for the
 * simulation, the federated regime's wall time over its rounds, after a first run that warms the JIT up. The
 * deployed medians are over the last 100 rounds, leaving out at least the first 20: on two cores the five JVMs'
 * compilers are still busy after 100 rounds, so a run of 1500 measures rounds past the warm-up. Since wall time on a
 * loaded two-core machine moves with whatever else runs, it also reports CPU time per round, of all five processes
 * and of each, over the run's second half, against the simulation's CPU time per round. It also prints where a
 * deployed round goes, step by step, from the sites' audit logs and the run store. Every process it starts is stopped
 * before it returns, also when it fails. Needs {@code FEDMED_DATA}.
 *
 * <p>Usage: {@code DeployedRoundBench [rounds=100]}; prints a markdown table.
 */
public final class DeployedRoundBench {


    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        // rounds left out of the medians: all but the last 100, and at least the first 20 (the JIT warming up)
        int skipped = Math.max(20, rounds - 100);
        Federation.requireHeartDisease();
        String training = ProcessesMatchSimulationTest.TRAINING.replace("rounds: 15", "rounds: " + rounds);
        if (!training.contains("rounds: " + rounds)) {
            throw new IllegalStateException("the training section no longer says 'rounds: 15'");
        }
        Simulated simulated = simulatedRound(training, rounds);
        double simulatedMs = simulated.wallMs();

        // -Dfedmed.bench.dir=/dev/shm puts the store, checkpoints and audit logs on tmpfs, where fsync costs nothing:
        // what is left is the round's cost without the disk. The folder is deleted at the end unless
        // -Dfedmed.bench.keep=true.
        String where = System.getProperty("fedmed.bench.dir");
        Path tmp = where == null ? Files.createTempDirectory("fedmed-round-bench")
                : Files.createTempDirectory(Path.of(where), "fedmed-round-bench");
        Federation fed = Federation.provision(tmp, "bench", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "bench-fedavg", 4, training);
        long t0 = System.nanoTime();
        List<ProcessCpuSampler.Sample> cpuSamples = runToEnd(fed, serverYaml, tmp.resolve("logs"));
        double runSeconds = (System.nanoTime() - t0) / 1e9;
        long[] engine;
        long[] cycle;
        List<long[]> rows;
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("bench-fedavg").orElseThrow();
            rows = rows(fed.store(), run.id());
            if (rows.size() != rounds) {
                throw new IllegalStateException("the deployment recorded " + rows.size() + " rounds, not " + rounds);
            }
            engine = rows.stream().skip(skipped).mapToLong(r -> r[0]).toArray();
            List<Long> gaps = new ArrayList<>();
            for (int i = skipped; i < rows.size(); i++) {
                gaps.add(rows.get(i)[1] - rows.get(i - 1)[1]);
            }
            cycle = gaps.stream().mapToLong(Long::longValue).toArray();
        }
        double engineMs = TransferBench.median(engine) / 1000.0;
        double cycleMs = TransferBench.median(cycle) / 1000.0;
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
        out.append(String.format("%nThe deployed run took %.1f s from starting the server to its exit.%n%n", runSeconds));
        out.append(cpu(cpuSamples, rows, simulated.wallMs(), simulated.cpuMs()));
        out.append(breakdown(fed, rows, skipped));
        System.out.println(out);
        if (Boolean.getBoolean("fedmed.bench.keep")) {
            System.out.println("The run's files are kept in " + tmp);
        } else {
            SecureFiles.deleteTree(tmp); // store, checkpoints, logs: on tmpfs they hold memory
        }
    }

    /**
     * CPU time per round against the simulation's, which the machine's load does not move as it moves wall time:
     * the five processes' CPU time over the second half of the run (sampled every 250 ms), per round recorded in it,
     * with the mean wall time per round over the same window (which, unlike the median, counts the slow rounds).
     */
    static String cpu(List<ProcessCpuSampler.Sample> samples, List<long[]> rows, double simulatedWallMs,
                      double simulatedCpuMs) {
        List<Long> ends = rows.stream().map(r -> r[1]).toList();
        var perRound = ProcessCpuSampler.perRound(samples, ends, ends.get(ends.size() / 2 - 1), 50);
        if (perRound.isEmpty()) {
            return "CPU per round: fewer than 50 rounds between two CPU samples in the run's second half; run more"
                    + " rounds.\n\n";
        }
        double[] ms = perRound.get().cpuMs();
        double all = Arrays.stream(ms).sum();
        double sites = all - ms[0];
        StringBuilder out = new StringBuilder(String.format("| over the second half of the run (%d rounds) | ms per"
                + " round | ratio to simulate |%n|---|---|---|%n", perRound.get().rounds()));
        out.append(String.format("| wall, mean (outliers included) | %.2f | %.1fx |%n", perRound.get().wallMs(),
                perRound.get().wallMs() / simulatedWallMs));
        out.append(String.format("| CPU: `simulate`, this JVM | %.2f | 1x |%n", simulatedCpuMs));
        out.append(String.format("| CPU: server + 4 site processes | %.2f | %.1fx |%n", all, all / simulatedCpuMs));
        out.append(String.format("| CPU: the server | %.2f | %.1fx |%n", ms[0], ms[0] / simulatedCpuMs));
        out.append(String.format("| CPU: one site (mean of 4) | %.2f | %.1fx |%n%n", sites / 4,
                sites / 4 / simulatedCpuMs));
        out.append(threads(perRound.get().threadMs()));
        return out.toString();
    }

    /**
     * CPU per round by thread group (digits in names dropped), the server's and one site's (mean of four), the
     * twelve largest by their sum and the rest together.
     */
    static String threads(List<Map<String, Double>> perProcess) {
        Map<String, Double> server = perProcess.getFirst();
        Map<String, Double> site = new java.util.HashMap<>();
        perProcess.subList(1, perProcess.size()).forEach(p -> p.forEach((g, ms) -> site.merge(g, ms / 4, Double::sum)));
        java.util.Set<String> groups = new java.util.TreeSet<>(server.keySet());
        groups.addAll(site.keySet());
        List<String> order = groups.stream().sorted(java.util.Comparator.comparingDouble(
                (String g) -> server.getOrDefault(g, 0.0) + site.getOrDefault(g, 0.0)).reversed()).toList();
        StringBuilder out = new StringBuilder("| thread group | server CPU ms per round | one site's |\n"
                + "|---|---|---|\n");
        double restServer = 0;
        double restSite = 0;
        for (int i = 0; i < order.size(); i++) {
            double a = server.getOrDefault(order.get(i), 0.0);
            double b = site.getOrDefault(order.get(i), 0.0);
            if (i < 12) {
                out.append(String.format("| %s | %.2f | %.2f |%n", order.get(i), a, b));
            } else {
                restServer += a;
                restSite += b;
            }
        }
        out.append(String.format("| the other %d groups | %.2f | %.2f |%n%n", Math.max(0, order.size() - 12),
                restServer, restSite));
        return out.toString();
    }

    /**
     * Where a deployed round goes, medians over the rounds after {@code skipped}: the steps between the sites' audit
     * entries ({@code accepted} and {@code sent}, each stamped before it is written) and the run store's round ends.
     */
    static String breakdown(Federation fed, List<long[]> rows, int skipped) {
        // per round: kind + event -> the instants (microseconds) of the four sites' entries
        Map<Integer, Map<String, List<Long>>> at = new java.util.TreeMap<>();
        Map<String, List<Long>> perSite = new java.util.HashMap<>();
        for (String site : Federation.HOSPITALS) {
            Map<String, Long> accepted = new java.util.HashMap<>();
            for (Map<String, Object> e : org.fedmed.deploy.site.JsonLinesAuditLog.read(fed.auditLog(site))) {
                Object task = e.get("task_id");
                Object round = e.get("round");
                String event = String.valueOf(e.get("event"));
                if (task == null || String.valueOf(task).isEmpty() || !(round instanceof Number r)
                        || !(event.equals("accepted") || event.equals("sent"))) {
                    continue;
                }
                Instant when = Instant.parse(String.valueOf(e.get("at")));
                long micros = Duration.between(Instant.EPOCH, when).toNanos() / 1000;
                String kind = String.valueOf(e.get("kind"));
                at.computeIfAbsent(r.intValue(), k -> new java.util.HashMap<>())
                        .computeIfAbsent(kind + " " + event, k -> new ArrayList<>()).add(micros);
                if (r.intValue() > skipped) {
                    if (event.equals("accepted")) {
                        accepted.put(String.valueOf(task), micros);
                    } else if (accepted.containsKey(String.valueOf(task))) {
                        perSite.computeIfAbsent(kind, k -> new ArrayList<>())
                                .add(micros - accepted.get(String.valueOf(task)));
                    }
                }
            }
        }
        List<Long> spread = new ArrayList<>();
        List<Long> fitPhase = new ArrayList<>();
        List<Long> fitToEval = new ArrayList<>();
        List<Long> evalPhase = new ArrayList<>();
        List<Long> toRecorded = new ArrayList<>();
        List<Long> toNext = new ArrayList<>();
        for (int r = skipped + 1; r < rows.size(); r++) {
            Map<String, List<Long>> e = at.get(r);
            Map<String, List<Long>> next = at.get(r + 1);
            long recorded = rows.get(r - 1)[1];
            spread.add(max(e, "fit accepted") - min(e, "fit accepted"));
            fitPhase.add(max(e, "fit sent") - min(e, "fit accepted"));
            fitToEval.add(min(e, "evaluate accepted") - max(e, "fit sent"));
            evalPhase.add(max(e, "evaluate sent") - min(e, "evaluate accepted"));
            toRecorded.add(recorded - max(e, "evaluate sent"));
            toNext.add(min(next, "fit accepted") - recorded);
        }
        StringBuilder out = new StringBuilder("| step (median) | ms |\n|---|---|\n");
        row(out, "fit tasks reach the four sites (first to last `accepted`)", spread);
        row(out, "one site's fit, `accepted` to `sent` (audit entry, training, state file, sending)", perSite.get("fit"));
        row(out, "the fit phase, first `accepted` to last `sent`", fitPhase);
        row(out, "last fit result to the first evaluation at a site (receive, aggregate, dispatch)", fitToEval);
        row(out, "one site's evaluation, `accepted` to `sent`", perSite.get("evaluate"));
        row(out, "the evaluation phase, first `accepted` to last `sent`", evalPhase);
        row(out, "last evaluation to the round recorded (receive, aggregate, checkpoint)", toRecorded);
        row(out, "round recorded to the next fit at a site (commit, next dispatch)", toNext);
        return out.toString();
    }

    private static long min(Map<String, List<Long>> round, String key) {
        return round.get(key).stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(Map<String, List<Long>> round, String key) {
        return round.get(key).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static void row(StringBuilder out, String step, List<Long> micros) {
        out.append(String.format("| %s | %.1f |%n", step,
                TransferBench.median(micros.stream().mapToLong(Long::longValue).toArray()) / 1000.0));
    }

    /**
     * As {@link MatchedRun#runToEnd}, with the processes' JVMs as {@code bin/fedmed} starts them (both JIT compilers,
     * not the test processes' C1 only); every process is stopped before this returns. Returns the processes' CPU
     * samples (server first, then the sites in {@link Federation#HOSPITALS} order), from the sites' start to the
     * server's exit.
     */
    static List<ProcessCpuSampler.Sample> runToEnd(Federation fed, Path serverYaml, Path logs) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m"));
        // -Dfedmed.bench.jvmArgs='...' adds options to every process's JVM (a JFR recording, say)
        String extra = System.getProperty("fedmed.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, jvm, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, jvm, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}", MatchedRun.PER_SITE_DATA).toString()));
            }
            int exit;
            ProcessCpuSampler sampler = new ProcessCpuSampler(processes, Duration.ofMillis(250));
            try (sampler) {
                exit = server.awaitExit(Duration.ofSeconds(600));
            }
            if (exit != 0) {
                throw new IllegalStateException("the server exited with " + exit + ":\n" + server.output());
            }
            return sampler.samples();
        } finally {
            // SIGTERM first, so the sites' JVMs run their shutdown hooks (a JFR recording is written then)
            for (FedmedProcess p : processes) {
                p.terminate();
            }
            for (FedmedProcess p : processes) {
                try {
                    p.awaitExit(Duration.ofSeconds(10));
                } catch (AssertionError stillRunning) {
                    // killed below
                } finally {
                    p.close();
                }
            }
        }
    }

    /**
     * The simulated federated regime's wall time and this JVM's CPU time per round, in milliseconds, from a second
     * run (the first warms up).
     */
    /** A simulated round: wall and CPU time per round of the federated regime, and its model's parameter count. */
    record Simulated(double wallMs, double cpuMs, int parameters) {
    }

    static Simulated simulatedRound(String training, int rounds) {
        SimulationConfig cfg = ConfigLoader.parse(training + MatchedRun.PER_SITE_SIMULATION, "simulation", Map.of());
        var data = SimulationData.load(cfg, DatasetRegistry.fromEnvironment());
        new ComparisonExperiment(cfg, null).run(data);
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        var report = new ComparisonExperiment(cfg, null).run(data);
        long nanos = System.nanoTime() - t;
        long cpuNanos = os.getProcessCpuTime() - cpu;
        if (report.federated().rounds().size() != rounds) {
            throw new IllegalStateException("the simulation ran " + report.federated().rounds().size() + " rounds");
        }
        return new Simulated(nanos / 1e6 / rounds, cpuNanos / 1e6 / rounds, report.federated().finalModel().size());
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
}
