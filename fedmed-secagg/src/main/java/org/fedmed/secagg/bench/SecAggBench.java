package org.fedmed.secagg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightedMeanAggregator;
import org.fedmed.secagg.DropPoint;
import org.fedmed.secagg.DropoutSchedule;
import org.fedmed.secagg.PartyCost;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.RoundCosts;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.SecureVectorSum;
import org.fedmed.secagg.VectorSumResult;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * Measures what secure aggregation costs against a plain round, in one process and one thread: for each cohort
 * size n, the same n float updates are summed (1) in the clear by the core's {@link WeightedMeanAggregator},
 * each update sent as raw little-endian floats, (2) with classic SecAgg and (3) with SecAgg+, with and without
 * dropouts. Every message is encoded and decoded as on a network; CPU is thread CPU time charged to the party
 * that did the work (a site's quantizing, masking and message coding; the server's relaying, summing, unmasking
 * and decoding), and traffic is the encoded message bytes. Not a test: it asserts nothing and takes minutes.
 *
 * <p>Run, after {@code ./mvnw -q -o install -pl fedmed-secagg -am -DskipTests}: {@code java -Xmx8g -cp
 * fedmed-secagg/target/classes:fedmed-core/target/classes org.fedmed.secagg.bench.SecAggBench [--params 100000]
 * [--sites 50,100,200,400] [--dropout 0.1] [--modes plain,classic,plus] [--drop-point BEFORE_MASKED_INPUT]}. The defaults take about six minutes on
 * two cores, most of it in classic SecAgg at n = 400.
 */
public final class SecAggBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Row(String mode, int n, int degree, int threshold, double dropout, RoundCosts costs,
                       double wallSeconds, double maxError) {
    }

    private SecAggBench() {
    }

    public static void main(String[] args) {
        int params = 100_000;
        int[] sites = {50, 100, 200, 400};
        double dropout = 0.1;
        List<String> modes = List.of("plain", "classic", "plus");
        DropPoint dropPoint = DropPoint.BEFORE_MASKED_INPUT;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--params" -> params = Integer.parseInt(value);
                case "--sites" -> sites = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--dropout" -> dropout = Double.parseDouble(value);
                case "--modes" -> modes = List.of(value.split(","));
                case "--drop-point" -> dropPoint = DropPoint.valueOf(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --params, --sites, --dropout, --modes or --drop-point");
            }
        }
        System.out.printf(Locale.ROOT, "secure aggregation benchmark: %d parameters, ring Z_2^32, %d cores, JDK %s%n",
                params, Runtime.getRuntime().availableProcessors(), Runtime.version());
        warmUp(params);
        System.out.println("dropouts, where present, leave at " + dropPoint);
        List<Row> rows = new ArrayList<>();
        for (int n : sites) {
            List<float[]> updates = updates(n, params, n);
            Row plain = plainRound(updates);
            rows.add(plain);
            print(plain, plain);
            if (modes.contains("classic")) {
                Row r = secureRound("classic", SecAggParameters.classic(n, params, 32), updates, 0, dropPoint);
                rows.add(r);
                print(r, plain);
            }
            if (modes.contains("plus")) {
                Row r = secureRound("secagg+", SecAggParameters.secAggPlus(n, params, 32), updates, 0, dropPoint);
                rows.add(r);
                print(r, plain);
            }
            if (dropout > 0 && modes.contains("classic")) {
                Row r = secureRound("classic", SecAggParameters.classic(n, params, 32), updates, dropout, dropPoint);
                rows.add(r);
                print(r, plain);
            }
            if (dropout > 0 && modes.contains("plus")) {
                Row r = secureRound("secagg+", SecAggParameters.secAggPlus(n, params, 32), updates, dropout, dropPoint);
                rows.add(r);
                print(r, plain);
            }
        }
        System.out.println();
        System.out.println(header());
        Row plain = null;
        for (Row r : rows) {
            if (r.mode().equals("plain")) {
                plain = r;
            }
            System.out.println(line(r, plain));
        }
        System.out.println();
        System.out.println("site CPU: mean thread CPU per site; server CPU: thread CPU of the coordinator; KB/MB are"
                + " encoded message bytes (1 KB = 1000 B). x-columns are ratios to the plain round of the same n."
                + " round CPU = server CPU + slowest site's CPU (the critical path when sites run in parallel)."
                + " BEFORE_MASKED_INPUT dropouts (after sharing keys, before submitting) are the costliest case for"
                + " the server: it rebuilds their mask keys and re-derives every mask they shared.");
    }

    private static void warmUp(int params) {
        List<float[]> updates = updates(12, params, 1);
        for (int i = 0; i < 3; i++) {
            plainRound(updates);
            secureRound("classic", SecAggParameters.classic(12, params, 32), updates, 0.1, DropPoint.BEFORE_MASKED_INPUT);
            secureRound("secagg+", new SecAggParameters(12, params, 32, 6, 4), updates, 0.1, DropPoint.BEFORE_UNMASKING);
        }
    }

    private static List<float[]> updates(int n, int params, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            float[] x = new float[params];
            for (int i = 0; i < params; i++) {
                x[i] = (float) (0.01 * r.nextGaussian());
            }
            out.add(x);
        }
        return out;
    }

    /** The baseline: each site sends its delta as floats; the server decodes and folds it into a weighted mean. */
    private static Row plainRound(List<float[]> updates) {
        int n = updates.size();
        int p = updates.getFirst().length;
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[] {p}));
        ModelParameters global = ModelParameters.ofFlat(layout, new float[p]);
        long wallStart = System.nanoTime();
        long serverCpu = 0;
        long serverCpuStart = cpu();
        WeightedMeanAggregator aggregator = new WeightedMeanAggregator(global, FitResult::numExamples, 1.0, 1);
        serverCpu += cpu() - serverCpuStart;
        List<PartyCost> clients = new ArrayList<>(n);
        long bytes = 0;
        for (int u = 0; u < n; u++) {
            long start = cpu();
            byte[] wire = encodeFloats(updates.get(u));
            clients.add(new PartyCost(cpu() - start, wire.length, 0));
            bytes += wire.length;
            long s = cpu();
            float[] decoded = decodeFloats(wire);
            try {
                aggregator.accept(new FitResult("site-" + u, "r1-fit-" + u, ModelParameters.ofFlat(layout, decoded), true,
                        1, 1.0, Map.of()));
            } catch (UpdateRejectedException e) {
                throw new IllegalStateException("plain baseline refused an update: " + e.getMessage(), e);
            }
            serverCpu += cpu() - s;
        }
        long s = cpu();
        aggregator.result();
        serverCpu += cpu() - s;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        return new Row("plain", n, 0, 0, 0, new RoundCosts(clients, new PartyCost(serverCpu, 0, bytes)), wall, 0);
    }

    private static Row secureRound(String mode, SecAggParameters parameters, List<float[]> updates, double dropout,
                                   DropPoint dropPoint) {
        int n = updates.size();
        long[] weights = new long[n];
        Arrays.fill(weights, 1);
        RingQuantizer quantizer = new RingQuantizer(32, 1.0, n, RingQuantizer.Rounding.NEAREST);
        DropoutSchedule drops = DropoutSchedule.randomFraction(n, dropout, dropPoint, 17);
        long wallStart = System.nanoTime();
        VectorSumResult r = new SecureVectorSum(parameters, quantizer, RandomnessSource.seededForSimulation(n))
                .sum(updates, weights, drops, "bench-" + mode + "-" + n, 99);
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double maxError = 0;
        float[] sum = r.weightedSum();
        for (int i = 0; i < sum.length; i++) {
            double exact = 0;
            for (int id : r.included()) {
                exact += updates.get(id - 1)[i];
            }
            maxError = Math.max(maxError, Math.abs(exact - sum[i]));
        }
        return new Row(mode, n, parameters.degree(), parameters.threshold(), dropout, r.costs(), wall, maxError);
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-8s %4s %4s %4s %5s | %9s %9s %9s %9s | %9s %9s %9s %9s | %7s %7s %7s %7s | %7s %9s",
                "mode", "n", "deg", "t", "drop", "siteCPUms", "maxSiteMs", "serverMs", "roundMs", "siteTxKB", "siteRxKB",
                "srvRxMB", "srvTxMB", "x site", "x srv", "x round", "x bytes", "wall s", "max err");
    }

    private static String line(Row r, Row plain) {
        RoundCosts c = r.costs();
        RoundCosts pc = plain.costs();
        double site = c.meanClientCpuNanos() / 1e6;
        double maxSite = c.maxClientCpuNanos() / 1e6;
        double server = c.server().cpuNanos() / 1e6;
        double round = server + maxSite;
        double plainRound = pc.server().cpuNanos() / 1e6 + pc.maxClientCpuNanos() / 1e6;
        return String.format(Locale.ROOT,
                "%-8s %4d %4s %4s %4.0f%% | %9.2f %9.2f %9.1f %9.1f | %9.1f %9.1f %9.2f %9.2f | %6.1fx %6.1fx %6.1fx %6.2fx | %7.1f %9.2e",
                r.mode(), r.n(), r.degree() == 0 ? "-" : Integer.toString(r.degree()),
                r.threshold() == 0 ? "-" : Integer.toString(r.threshold()), 100 * r.dropout(),
                site, maxSite, server, round,
                c.meanClientBytesSent() / 1e3, c.meanClientBytesReceived() / 1e3,
                c.server().bytesReceived() / 1e6, c.server().bytesSent() / 1e6,
                site / (pc.meanClientCpuNanos() / 1e6), server / (pc.server().cpuNanos() / 1e6), round / plainRound,
                (double) (c.server().bytesReceived() + c.server().bytesSent()) / pc.server().bytesReceived(),
                r.wallSeconds(), r.maxError());
    }

    private static void print(Row r, Row plain) {
        System.out.println(line(r, plain));
        System.out.flush();
    }

    private static byte[] encodeFloats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static float[] decodeFloats(byte[] wire) {
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        b.getInt();
        float[] out = new float[b.getInt()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
