package org.fedmed.transport.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.pki.SecureFiles;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.GrpcSitePool;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.TestPki;
import org.fedmed.transport.tls.MutualTls;

/**
 * Measures the transport on loopback with mutual TLS, the server here and the sites in a child JVM
 * ({@link SiteFleet}):
 * <ul>
 *   <li>model transfer throughput each way for 100K, 1M and 10M parameters (system property
 *       {@code fedmed.bench.params}, comma-separated, to choose others): an evaluate task carries the model
 *       down and a few bytes back, a fit task carries it down and back, so down = bytes / t_eval and
 *       up = bytes / (t_fit - t_eval) of the same repetition; medians of 21 repetitions (system property
 *       {@code fedmed.bench.repeats} for others) after 2 to 10 warm-ups; each figure also as a ratio to a raw copy
 *       of the same bytes over a JDK SSLSocket with the same certificates ({@link TlsSocketBaseline}) timed in the
 *       same repetition (every other repetition runs its four transfers in the reverse order), as the median of the
 *       repetitions' ratios ({@link PairedRatios}) and as the ratio of the medians;</li>
 *   <li>round overhead with 100 connected sites and a 1M-parameter model whose training costs nothing, so the
 *       round time is all dispatch, transfer, validation and aggregation; the same rounds over in-process sites
 *       give the aggregation-only baseline;</li>
 *   <li>server heap: after GC with no sites and with 100 idle sites, and during rounds both the peak sampled every
 *       5 ms (garbage included) and the peak left after a collection (close to what is live), with the default
 *       result buffer budget and with a 64 MiB one.</li>
 * </ul>
 * Usage: {@code TransferBench [sites=100]}; prints a markdown report. The certificates and keys it makes are deleted
 * when it ends, and the site JVM is stopped.
 */
public final class TransferBench {

    static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    public static void main(String[] args) throws Exception {
        int fleetSize = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path dir = Files.createTempDirectory("fedmed-bench-pki");
        try {
            run(fleetSize, dir);
        } finally {
            SecureFiles.deleteTree(dir); // the CA's, the server's and every site's private keys
        }
        System.exit(0);
    }

    private static void run(int fleetSize, Path dir) throws Exception {
        TestPki pki = TestPki.create("fedmed-bench-ca");
        pki.write(dir, "server", pki.server());
        for (int k = 0; k < fleetSize; k++) {
            pki.write(dir, SiteFleet.siteId(k), pki.site(SiteFleet.siteId(k)));
        }
        StringBuilder report = new StringBuilder();
        report.append("# fedmed transport benchmark\n\n")
                .append("JDK ").append(Runtime.version()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, server max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, load average at start ")
                .append(String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())).append("\n\n");

        long idleHeap = usedAfterGc();
        boolean throughputOnly = Boolean.getBoolean("fedmed.bench.throughputOnly");
        budgets:
        for (long budget : new long[]{ServerSettings.defaults().resultBufferBytes(), 64L << 20}) {
            ServerSettings settings = ServerSettings.defaults().withResultBufferBytes(budget);
            try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                    MutualTls.serverCredentials(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key")),
                    new CommonNameAuthorizer(Set.of()), settings)) {
                Process fleet = startFleet(server.port(), dir, fleetSize);
                try {
                    if (!server.pool().awaitSites(fleetSize, Duration.ofMinutes(3))) {
                        throw new IllegalStateException("only " + server.pool().availableSites().size() + " sites connected");
                    }
                    if (budget == ServerSettings.defaults().resultBufferBytes()) {
                        long withSites = usedAfterGc();
                        report.append("## Server heap (after GC)\n\n| state | used heap |\n|---|---|\n")
                                .append("| server started, no sites | ").append(mib(idleHeap)).append(" |\n")
                                .append("| ").append(fleetSize).append(" sites connected, idle | ").append(mib(withSites))
                                .append(" (").append((withSites - idleHeap) / fleetSize / 1024).append(" KiB per site) |\n\n");
                        throughput(server.pool(), fleet, dir, report);
                        if (throughputOnly) {
                            break budgets; // the finally below still stops the fleet
                        }
                        report.append("## Rounds with ").append(fleetSize).append(" sites, 1M parameters, zero-cost training\n\n")
                                .append("| pool | result buffer budget | fit round (median of 3) | fit + evaluate round | peak heap (sampled) | peak heap after GC |\n")
                                .append("|---|---|---|---|---|---|\n");
                        rounds("in-process (aggregation only)", "-", inProcess(fleetSize), report);
                    }
                    rounds("gRPC + mTLS", mib(budget), server.pool(), report);
                } finally {
                    fleet.destroy();
                    fleet.waitFor();
                }
            }
        }
        System.out.println(report);
    }

    static Process startFleet(int port, Path dir, int count) throws Exception {
        return startFleet(port, dir, count, 0);
    }

    /** A {@link SiteFleet} JVM of sites {@code first .. first + count - 1}, stopped when this JVM ends. */
    public static Process startFleet(int port, Path dir, int count, int first) throws IOException {
        // Extra options for the site JVM, for profiling it too (-Dfedmed.bench.fleetArgs=-XX:StartFlightRecording=...).
        String extra = System.getProperty("fedmed.bench.fleetArgs", "").trim();
        List<String> options = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        return startJvm("2g", options, SiteFleet.class, "127.0.0.1", Integer.toString(port), dir.toString(),
                Integer.toString(count), Integer.toString(first));
    }

    /**
     * A JVM running {@code main} with {@code args} on this JVM's class path, the given heap and JVM options, its
     * output discarded, stopped also when this JVM ends by an exception, {@code System.exit} or a signal.
     */
    static Process startJvm(String heap, List<String> options, Class<?> main, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "--enable-native-access=ALL-UNNAMED",
                "-Djava.util.logging.config.file=/dev/null"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process jvm = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(jvm::destroyForcibly));
        return jvm;
    }

    static void throughput(GrpcSitePool pool, Process fleet, Path dir, StringBuilder report) throws Exception {
        String site = SiteFleet.siteId(0);
        Map<String, Long> serverCpu;
        Map<String, Long> siteCpu;
        try (TlsSocketBaseline raw = new TlsSocketBaseline(dir, site)) {
            // Compiles both paths (gRPC, Netty and the TLS code on each side) before anything is timed: with fewer
            // warm-ups the JIT compiler's own CPU time shows up as transfer cost at the first sizes.
            // The per-message code (protobuf, gRPC's call and stream, the stream handlers) runs a few times per
            // transfer, so it needs thousands of small transfers before the JIT compiler has finished with it: a
            // long-running federation is past that point, and compiling is not transfer cost.
            ModelParameters small = ModelParameters.ofFlat(ParameterLayout.of(List.of("w"), List.of(new int[]{1_000})),
                    new float[1_000]);
            for (int i = 0; i < 3000; i++) {
                pool.fit(List.of(new FitTask(1, site, small, new FitConfig(1, 1, 0.1, true, 1))), Duration.ofMinutes(2),
                        expectSuccess());
            }
            ModelParameters warm = ModelParameters.ofFlat(ParameterLayout.of(List.of("w"), List.of(new int[]{1_000_000})),
                    new float[1_000_000]);
            for (int i = 0; i < 60; i++) {
                pool.fit(List.of(new FitTask(1, site, warm, new FitConfig(1, 1, 0.1, true, 1))), Duration.ofMinutes(2),
                        expectSuccess());
                raw.down(4 << 20);
                raw.up(4 << 20);
            }
            // Then on until the JIT compilers of both JVMs are (nearly) idle, at most a minute: on a loaded machine
            // their queue drains slowly, and what they still compile would be counted as transfer CPU.
            long warmStart = System.nanoTime();
            long compiling = Long.MAX_VALUE;
            while (compiling > 100 && System.nanoTime() - warmStart < 60_000_000_000L) {
                long before = compilerMillis(ProcessHandle.current().pid()) + compilerMillis(fleet.pid());
                long until = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < until) {
                    pool.fit(List.of(new FitTask(1, site, warm, new FitConfig(1, 1, 0.1, true, 1))),
                            Duration.ofMinutes(2), expectSuccess());
                    raw.down(4 << 20);
                    raw.up(4 << 20);
                }
                compiling = compilerMillis(ProcessHandle.current().pid()) + compilerMillis(fleet.pid()) - before;
            }
            String warmup = String.format("Warm-up: 3000 small fits, 60 fits of 1M parameters, then %.0f s more until the"
                    + " JIT compilers of both JVMs used %d ms of CPU in 2 s.%n%n", (System.nanoTime() - warmStart) / 1e9,
                    compiling);
            serverCpu = ThreadCpu.snapshot(ProcessHandle.current().pid());
            siteCpu = ThreadCpu.snapshot(fleet.pid());
            report.append("## Model transfer, one site, loopback, mutual TLS\n\n")
                    .append("Baseline: a raw copy of the same bytes over one JDK SSLSocket (").append(raw.cipher())
                    .append("), measured interleaved with the gRPC transfers.\n\n").append(warmup)
                    .append("CPU: both JVMs' CPU time (server and site) per fit round trip against this JVM's CPU time (both ends) per raw")
                    .append(" down and up, means over the timed transfers.\n\n")
                    .append("Each repetition times an evaluation, a fit, a raw copy down and a raw copy up, one after the other")
                    .append(" (every other repetition in the reverse order);")
                    .append(" site to server is that repetition's fit minus its evaluation. Rates are medians over the")
                    .append(" repetitions; a ratio is the median, over the repetitions, of the raw copy's time over gRPC's in the")
                    .append(" same repetition, with its quartiles in brackets; \"of medians\" is the rate ratio of the medians.\n\n")
                    .append("| parameters | MB each way | gRPC server to site | raw TLS down | ratio [quartiles] | of medians | gRPC site to server | raw TLS up | ratio [quartiles] | of medians | fit round trip | CPU gRPC fit | CPU raw down + up |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String p : System.getProperty("fedmed.bench.params", "100000,1000000,10000000").split(",")) {
                int params = Integer.parseInt(p.trim());
                ModelParameters model = ModelParameters.ofFlat(ParameterLayout.of(List.of("w"), List.of(new int[]{params})),
                        new float[params]);
                double mb = 4.0 * params / 1e6;
                int repeats = Integer.getInteger("fedmed.bench.repeats", 21);
                long[] eval = new long[repeats];
                long[] fit = new long[repeats];
                long[] rawDown = new long[repeats];
                long[] rawUp = new long[repeats];
                long cpuGrpc = 0;
                long cpuRaw = 0;
                int warmups = params <= 1_000_000 ? 10 : params <= 10_000_000 ? 4 : 2;
                Runnable evaluate = () -> pool.evaluate(List.of(new EvalTask(1, site, model)), Duration.ofMinutes(2),
                        expectSuccess());
                Runnable fitOnce = () -> pool.fit(List.of(new FitTask(1, site, model, new FitConfig(1, 1, 0.1, true, 1))),
                        Duration.ofMinutes(2), expectSuccess());
                for (int i = -warmups; i < eval.length; i++) {
                    // Even repetitions run evaluate, fit, raw down, raw up; odd ones the reverse, so that what the
                    // order does to a timing (threads waking up after the other path ran, a drift of the load)
                    // falls on every one of the four alike.
                    boolean forward = Math.floorMod(i, 2) == 0;
                    long e = 0;
                    long f = 0;
                    long d = 0;
                    long u = 0;
                    long grpcCpu;
                    long rawCpu;
                    long cpu0 = cpu(fleet);
                    if (forward) {
                        e = timed(evaluate);
                        f = timed(fitOnce);
                    } else {
                        u = raw.up(4 * params);
                        d = raw.down(4 * params);
                    }
                    long cpu1 = cpu(fleet);
                    if (forward) {
                        d = raw.down(4 * params);
                        u = raw.up(4 * params);
                    } else {
                        f = timed(fitOnce);
                        e = timed(evaluate);
                    }
                    long cpu2 = cpu(fleet);
                    grpcCpu = forward ? cpu1 - cpu0 : cpu2 - cpu1;
                    rawCpu = forward ? cpu2 - cpu1 : cpu1 - cpu0;
                    if (i >= 0) {
                        cpuGrpc += grpcCpu;
                        cpuRaw += rawCpu;
                        eval[i] = e;
                        fit[i] = f;
                        rawDown[i] = d;
                        rawUp[i] = u;
                    }
                }
                long[] upload = new long[repeats];
                double[] downRatio = new double[repeats];
                double[] upRatio = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    upload[i] = Math.max(1, fit[i] - eval[i]);
                    downRatio[i] = (double) rawDown[i] / eval[i];
                    upRatio[i] = (double) rawUp[i] / upload[i];
                }
                double down = mb / (median(eval) / 1e9);
                double up = mb / (median(upload) / 1e9);
                double baseDown = mb / (median(rawDown) / 1e9);
                double baseUp = mb / (median(rawUp) / 1e9);
                report.append(String.format("| %,d | %.1f | %.0f MB/s | %.0f MB/s | %s | %.0f%% | %.0f MB/s | %.0f MB/s | %s | %.0f%% | %.1f ms | %.1f ms | %.1f ms |%n",
                        params, mb, down, baseDown, PairedRatios.describe(downRatio), 100 * down / baseDown, up, baseUp,
                        PairedRatios.describe(upRatio), 100 * up / baseUp, median(fit) / 1e6,
                        cpuGrpc / (repeats * 1e6), cpuRaw / (repeats * 1e6)));
            }
        }
        if (Boolean.getBoolean("fedmed.bench.threadCpu")) {
            report.append("\n## CPU by thread during the timed transfers, gRPC and raw together (ms)\n\n")
                    .append(ThreadCpu.table("server", ProcessHandle.current().pid(), serverCpu)).append('\n')
                    .append(ThreadCpu.table("site", fleet.pid(), siteCpu));
        }
        report.append("\nLoad average after the transfers: ")
                .append(String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())).append("\n\n");
    }

    static void rounds(String name, String budget, SitePool pool, StringBuilder report) {
        int params = 1_000_000;
        ModelParameters initial = ModelParameters.ofFlat(ParameterLayout.of(List.of("w"), List.of(new int[]{params})),
                new float[params]);
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1),
                new FitConfig(1, 1, 0.1, true, 0), 1.0);
        EngineConfig cfg = new EngineConfig(StoppingRule.rounds(5), Duration.ofMinutes(5), 1000, "log_loss", 3, 1);
        System.gc();
        AtomicLong peak = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        AfterGcPeak afterGc = AfterGcPeak.start();
        RunResult run = new RoundEngine(fedavg, pool, cfg, null).run(initial);
        sampler.interrupt();
        afterGc.stop();
        if (pool instanceof InProcessSitePool p) {
            p.close();
        }
        long[] fitRounds = run.rounds().subList(1, 4).stream().mapToLong(RoundRecord::durationMillis).toArray();
        for (RoundRecord r : run.rounds()) {
            if (!r.failures().isEmpty()) {
                throw new IllegalStateException("round " + r.round() + " had failures: " + r.failures());
            }
        }
        report.append(String.format("| %s | %s | %d ms | %d ms | %s | %s |%n", name, budget, median(fitRounds),
                run.rounds().getLast().durationMillis(), mib(peak.get()), mib(afterGc.peak())));
    }

    /** CPU milliseconds the JIT compiler threads of {@code pid} have used. */
    static long compilerMillis(long pid) {
        return ThreadCpu.snapshot(pid).entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                .mapToLong(Map.Entry::getValue).sum() * 10;
    }

    static SitePool inProcess(int count) {
        List<SiteClient> sites = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            sites.add(new SiteFleet.InstantSite(SiteFleet.siteId(k)));
        }
        return new InProcessSitePool(sites);
    }

    static <R> OutcomeSink<R> expectSuccess() {
        return new OutcomeSink<>() {
            @Override
            public void success(R result) {
                if (result instanceof EvalResult || result instanceof FitResult) {
                    return;
                }
                throw new IllegalStateException("unexpected result " + result);
            }

            @Override
            public void failure(SiteFailure failure) {
                throw new IllegalStateException("benchmark task failed: " + failure);
            }
        };
    }

    /**
     * CPU time of this JVM and the fleet's, in nanoseconds. The fit and evaluate timed include the evaluate's
     * CPU; the fleet's figure comes from the OS in clock ticks, so sums over several transfers are what is reported.
     */
    static long cpu(Process fleet) {
        return cpu(List.of(fleet));
    }

    /** CPU time of this JVM and of {@code others}, in nanoseconds (the others' from the OS, in clock ticks). */
    public static long cpu(List<Process> others) {
        long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        for (Process p : others) {
            total += p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    static long timed(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    /** The upper median of {@code v} (the element at index n / 2 once sorted); {@code v} is left as it is. */
    public static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / 1048576.0);
    }
}
