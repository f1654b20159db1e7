package org.fedmed.bench.secagg;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteTraffic;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.SecureFiles;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.secagg.SecureAggregationStrategy;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.crypto.Curve25519;
import org.fedmed.secagg.crypto.X25519;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * A deployed SecAgg+ round against a plain deployed FedAvg round, in the same run, over real gRPC with mutual TLS on
 * 127.0.0.1: the server in this JVM, the {@code SITES} site connections in one other JVM ({@link SecureRoundFleet}).
 * For each, with no dropout and with 10% of the sites dropping (plain: their fit fails; SecAgg+: they refuse their
 * masked input after sharing keys), it reports the wall time of the round, the server's CPU (this process), the sites'
 * CPU (the fleet process, all sites together) and the bytes on the sites' streams, each the median over
 * {@code REPEATS} rounds, and the wall-time ratio also paired: the median over the repetitions of each SecAgg+ round
 * against the plain round of the same dropout run next to it. Every kind of round is warmed up three times first;
 * then the four kinds run in turn (every other repetition in the reverse order), so that the JIT's progress and the
 * load of the moment fall on all of them alike. The fleet runs the X25519
 * implementation this process runs ({@code -Dfedmed.x25519=libsodium|bouncycastle} chooses it for both). Usage:
 * {@code SecureRoundHarness [SITES=100] [PARAMETERS=100000] [REPEATS=3]}. The fleet is stopped and the
 * provisioned kits (private keys included) are deleted when it ends, also when it fails.
 */
public final class SecureRoundHarness {

    private SecureRoundHarness() {
    }

    static String siteId(int k) {
        return String.format(Locale.ROOT, "bench-%03d", k);
    }

    record Measure(double wallMs, double serverCpuMs, double siteCpuMs, long bytes, int succeeded) {
    }

    /** One kind of measured round: a strategy, and whether the dropping sites drop. */
    private record Kind(Strategy strategy, boolean drop) {
    }

    /** Rounds of every kind run before any is measured. */
    private static final int WARM_UP_ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int sites = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int parameters = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int dropping = Math.max(1, sites / 10);
        Path dir = Files.createTempDirectory("fedmed-secagg-bench");
        try {
            run(sites, parameters, repeats, dropping, dir);
        } finally {
            SecureFiles.deleteTree(dir); // the provisioned kits, private keys included, however far the run got
        }
    }

    private static void run(int sites, int parameters, int repeats, int dropping, Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < sites; k++) {
            ids.add(siteId(k));
        }
        new Provisioner().provision(FederationSpec.of("bench", new ServerAddress("127.0.0.1", port), ids), dir, false);
        KitLayout layout = new KitLayout(dir);
        ServerKit kit = ServerKit.load(layout.serverKit());
        FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", port),
                MutualTls.serverCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey()),
                new CommonNameAuthorizer(java.util.Set.of()), ServerSettings.defaults(),
                org.fedmed.transport.server.FederationEvents.NONE);
        // the fleet runs the same X25519 implementation as this process, and may call libsodium without a warning
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx3g",
                "--enable-native-access=ALL-UNNAMED", "-D" + Curve25519.PROPERTY + "=" + X25519.implementation(),
                "-cp", System.getProperty("java.class.path"), SecureRoundFleet.class.getName(), dir.toString(),
                Integer.toString(sites), Integer.toString(dropping));
        System.out.println("X25519 on " + X25519.implementation() + " in the server and the fleet");
        Process fleet = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintWriter toFleet = new PrintWriter(fleet.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromFleet = new BufferedReader(new InputStreamReader(fleet.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = fromFleet.readLine()) != null && !line.equals("ready")) {
                System.out.println("fleet: " + line);
            }
            if (!server.pool().awaitSites(sites, Duration.ofSeconds(120))) {
                throw new IllegalStateException("only " + server.pool().availableSites().size() + " of " + sites
                        + " sites joined");
            }
            ModelParameters initial = ModelParameters.of(List.of(new Tensor("w", new int[]{parameters},
                    new float[parameters])));
            FitConfig fit = new FitConfig(1, 8, 0.1, true, 0);
            Strategy plain = new FederatedAveraging(SiteWeighting.UNIFORM, SiteSelection.all(3), fit, 1.0);
            Strategy secure = new SecureAggregationStrategy(plain, SecureSumConfig.defaults(), Duration.ofSeconds(120),
                    ServerOptimizerSettings.sgd(1.0));
            var cpu = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            int[] round = {1};
            java.util.function.BiFunction<Strategy, Boolean, Measure> once = (strategy, drop) -> {
                try {
                    // odd rounds: nobody drops; even rounds: the fleet's first sites drop
                    if ((round[0] % 2 == 0) != drop) {
                        round[0]++;
                    }
                    int r = round[0]++;
                    long siteBefore = fleetCpu(toFleet, fromFleet);
                    long serverBefore = cpu.getProcessCpuTime();
                    long start = System.nanoTime();
                    var result = new RoundEngine(strategy, server.pool(),
                            EngineConfig.of(StoppingRule.rounds(r), 42).withRoundDeadline(Duration.ofSeconds(300)),
                            null).run(initial, r, List.of());
                    long wall = System.nanoTime() - start;
                    long serverCpu = cpu.getProcessCpuTime() - serverBefore;
                    long siteCpu = fleetCpu(toFleet, fromFleet) - siteBefore;
                    RoundRecord rec = result.rounds().getLast();
                    long bytes = 0;
                    for (SiteTraffic t : rec.traffic().values()) {
                        bytes += t.bytesSent() + t.bytesReceived();
                    }
                    return new Measure(wall / 1e6, serverCpu / 1e6, siteCpu / 1e6, bytes, rec.succeeded().size());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            System.out.printf(Locale.ROOT, "%d sites x %d parameters, SecAgg+ %s, %d of them dropping in the dropout"
                    + " rounds; median of %d rounds of each kind, in turn, after warm-up%n", sites, parameters,
                    SecureSumConfig.defaults().parametersFor(sites, parameters), dropping, repeats);
            System.out.println("| round | dropout | delivered | wall ms | server CPU ms | site CPU ms (all) | MB moved |"
                    + " wall vs plain | server CPU vs plain | site CPU vs plain | bytes vs plain |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            // warm every kind of round up (JIT, TLS sessions, buffers) before anything is measured
            Kind[] kinds = {new Kind(plain, false), new Kind(secure, false), new Kind(plain, true),
                    new Kind(secure, true)};
            for (int w = 0; w < WARM_UP_ROUNDS; w++) {
                for (Kind k : kinds) {
                    once.apply(k.strategy(), k.drop());
                }
            }
            // then the four kinds in turn, so that the JIT's progress and the machine's load of the moment fall on
            // all of them alike, not on whichever kind happened to be measured last
            List<List<Measure>> measured = new ArrayList<>();
            for (Kind k : kinds) {
                measured.add(new ArrayList<>());
            }
            // every other repetition in the reverse order, so that being first or last in a repetition (or a drift
            // of the load across it) falls on the plain and the SecAgg+ round alike
            for (int i = 0; i < repeats; i++) {
                for (int j = 0; j < kinds.length; j++) {
                    int k = i % 2 == 0 ? j : kinds.length - 1 - j;
                    measured.get(k).add(once.apply(kinds[k].strategy(), kinds[k].drop()));
                }
            }
            List<String> paired = new ArrayList<>();
            for (int k = 0; k < kinds.length; k += 2) {
                Measure p = median(measured.get(k));
                Measure s = median(measured.get(k + 1));
                String d = kinds[k].drop() ? (100 * dropping / sites) + "%" : "0";
                row("plain FedAvg", d, p, p);
                row("SecAgg+", d, s, p);
                paired.add(d + ": " + pairedWallRatio(measured.get(k + 1), measured.get(k)));
            }
            System.out.println();
            System.out.println("wall vs plain, paired (the median over the repetitions of the SecAgg+ round's wall time"
                    + " over the plain round's of the same repetition, run next to it, smallest and largest in"
                    + " brackets): "
                    + String.join("; ", paired));
        } finally {
            toFleet.close();
            fleet.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            fleet.destroyForcibly();
            server.close();
        }
    }

    private static Measure median(List<Measure> rounds) {
        List<Measure> all = new ArrayList<>(rounds);
        all.sort(java.util.Comparator.comparingDouble(Measure::wallMs));
        return all.get(all.size() / 2);
    }

    /**
     * The median, smallest and largest of {@code secure.get(i).wallMs() / plain.get(i).wallMs()} over the
     * repetitions i: each SecAgg+ round against the plain round of the same dropout run next to it, so a slow
     * stretch of the machine falls on both sides of a ratio.
     */
    static String pairedWallRatio(List<Measure> secure, List<Measure> plain) {
        double[] ratios = new double[secure.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = secure.get(i).wallMs() / plain.get(i).wallMs();
        }
        java.util.Arrays.sort(ratios);
        return String.format(Locale.ROOT, "%.2fx [%.2f-%.2f]", ratios[ratios.length / 2], ratios[0],
                ratios[ratios.length - 1]);
    }

    private static void row(String name, String dropout, Measure m, Measure plain) {
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f | %.1f | %.2fx | %.2fx | %.2fx | %.2fx |%n",
                name, dropout, m.succeeded(), m.wallMs(), m.serverCpuMs(), m.siteCpuMs(), m.bytes() / 1e6,
                m.wallMs() / plain.wallMs(), m.serverCpuMs() / plain.serverCpuMs(), m.siteCpuMs() / plain.siteCpuMs(),
                (double) m.bytes() / plain.bytes());
    }

    private static long fleetCpu(PrintWriter toFleet, BufferedReader fromFleet) throws java.io.IOException {
        toFleet.println("cpu");
        String line;
        while ((line = fromFleet.readLine()) != null) {
            if (line.startsWith("cpu ")) {
                return Long.parseLong(line.substring(4).trim());
            }
        }
        throw new IllegalStateException("the site fleet ended");
    }
}
