package org.fedmed.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the usual command-line options and then prints the results of this module's benchmarks as
 * Markdown tables, with each figure set against the baseline measured in the same run: aggregation as GB/s of
 * update bytes read and as a share of the read-only bandwidth baseline, training as samples per second and as
 * a share of the forward-only pass. Rates and ratios use each benchmark's best measurement iteration.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.fedmed.bench.BenchReport [JMH options] [benchmark regex]}.
 */
public final class BenchReport {

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println(report(results));
    }

    /** The Markdown tables for {@code results}. */
    public static String report(Collection<RunResult> results) {
        Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
        for (RunResult r : results) {
            byClass.computeIfAbsent(className(r), c -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<RunResult>> e : byClass.entrySet()) {
            switch (e.getKey()) {
                case "AggregationBenchmark" -> aggregation(e.getValue(), out);
                case "AggregationKernelBenchmark" -> kernels(e.getValue(), out);
                case "TrainingBenchmark" -> training(e.getValue(), out);
                case "StatisticsRoundBenchmark" -> statisticsRounds(e.getValue(), out);
                case "RobustAggregationBenchmark" -> robust(e.getValue(), out);
                default -> generic(e.getKey(), e.getValue(), out);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void aggregation(List<RunResult> results, StringBuilder out) {
        Map<String, Map<String, RunResult>> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            rows.computeIfAbsent(param(r, "n") + "," + param(r, "p"), k -> new LinkedHashMap<>())
                    .put(param(r, "variant"), r);
        }
        out.append("### AggregationBenchmark: one round; ms/op as best [mean] of the measurement iterations; "
                + "GB/s = N*P*4 bytes / best time; read bandwidth = the faster of read and read-4\n\n");
        out.append("| N | P | aggregator ms/op | aggregator GB/s | read GB/s | read-4 GB/s | axpy GB/s "
                + "| aggregator / read bandwidth | axpy / read bandwidth | aggregator alloc MB/op |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, RunResult> row : rows.values()) {
            RunResult any = row.values().iterator().next();
            long n = Long.parseLong(param(any, "n"));
            long p = Long.parseLong(param(any, "p"));
            double bytes = 4.0 * n * p;
            RunResult agg = row.get("aggregator");
            RunResult axpy = row.get("axpy");
            RunResult best = faster(row.get("read"), row.get("read-4"));
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", n, sci(p),
                    agg == null ? "–" : msWithRange(agg), gbps(bytes, agg), gbps(bytes, row.get("read")),
                    gbps(bytes, row.get("read-4")), gbps(bytes, axpy), ratio(best, agg), ratio(best, axpy),
                    allocMb(agg)));
        }
    }

    private static void kernels(List<RunResult> results, StringBuilder out) {
        Set<String> variants = new LinkedHashSet<>();
        Set<String> ps = new LinkedHashSet<>();
        Map<String, RunResult> cell = new LinkedHashMap<>();
        String n = null;
        for (RunResult r : results) {
            variants.add(param(r, "variant"));
            ps.add(param(r, "p"));
            n = param(r, "n");
            cell.put(param(r, "variant") + "," + param(r, "p"), r);
        }
        out.append("### AggregationKernelBenchmark: N = ").append(n)
                .append(" updates per op; ms/op as best [mean] of the measurement iterations; "
                        + "GB/s = N*P*4 bytes / best time; % = share of the read bandwidth "
                        + "(the faster of read and read-4 at that P)\n\n");
        StringBuilder head = new StringBuilder("| variant |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String p : ps) {
            String label = "P=" + sci(Long.parseLong(p));
            head.append(' ').append(label).append(" ms/op | ").append(label).append(" GB/s | ").append(label)
                    .append(" % of read |");
            rule.append("---:|---:|---:|");
        }
        out.append(head).append('\n').append(rule).append('\n');
        for (String v : variants) {
            out.append("| ").append(v).append(" |");
            for (String p : ps) {
                RunResult r = cell.get(v + "," + p);
                RunResult best = faster(cell.get("read," + p), cell.get("read-4," + p));
                double bytes = r == null ? 0 : 4.0 * Long.parseLong(param(r, "n")) * Long.parseLong(p);
                out.append(' ').append(r == null ? "–" : msWithRange(r)).append(" | ").append(gbps(bytes, r))
                        .append(" | ").append(ratio(best, r)).append(" |");
            }
            out.append('\n');
        }
    }

    /**
     * Robust rules against FedAvg: per N, each rule's best round time and its cost as a multiple of FedAvg's in
     * that row; then, per rule, how its time grows from one N to the next (for a tenfold N: about 10 for a linear
     * rule, about 13 for N log N between 100 and 1000, about 100 for N²).
     */
    private static void robust(List<RunResult> results, StringBuilder out) {
        Map<String, Map<String, RunResult>> rows = new LinkedHashMap<>();
        Set<String> rules = new LinkedHashSet<>();
        String p = null;
        for (RunResult r : results) {
            rows.computeIfAbsent(param(r, "n"), k -> new LinkedHashMap<>()).put(param(r, "rule"), r);
            rules.add(param(r, "rule"));
            p = param(r, "p");
        }
        out.append("### RobustAggregationBenchmark: P = ").append(p).append("; ms per round as best [mean] of the "
                + "measurement iterations; x fedavg = best time / fedavg's best time at that N\n\n");
        StringBuilder head = new StringBuilder("| N |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (String r : rules) {
            head.append(' ').append(r).append(" ms | ").append(r).append(" x fedavg |");
            rule.append("---:|---:|");
        }
        out.append(head).append('\n').append(rule).append('\n');
        for (Map.Entry<String, Map<String, RunResult>> row : rows.entrySet()) {
            RunResult base = row.getValue().get("fedavg");
            out.append("| ").append(row.getKey()).append(" |");
            for (String r : rules) {
                RunResult res = row.getValue().get(r);
                out.append(' ').append(res == null ? "–" : msWithRange(res)).append(" | ")
                        .append(res == null || base == null ? "–" : fmt(millis(res) / millis(base))).append(" |");
            }
            out.append('\n');
        }
        out.append("\nGrowth of each rule's best time from one N to the next:\n\n| N step |");
        for (String r : rules) {
            out.append(' ').append(r).append(" |");
        }
        out.append('\n').append("|---|").append("---:|".repeat(rules.size())).append('\n');
        List<String> ns = new ArrayList<>(rows.keySet());
        for (int i = 1; i < ns.size(); i++) {
            out.append("| ").append(ns.get(i - 1)).append(" → ").append(ns.get(i)).append(" |");
            for (String r : rules) {
                RunResult a = rows.get(ns.get(i - 1)).get(r);
                RunResult b = rows.get(ns.get(i)).get(r);
                out.append(' ').append(a == null || b == null ? "–" : fmt(millis(b) / millis(a))).append(" |");
            }
            out.append('\n');
        }
    }

    /** The result with the shorter time per operation, or whichever is present. */
    private static RunResult faster(RunResult a, RunResult b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return millis(a) <= millis(b) ? a : b;
    }

    private static void training(List<RunResult> results, StringBuilder out) {
        Map<String, Map<String, RunResult>> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            rows.computeIfAbsent(param(r, "model"), k -> new LinkedHashMap<>()).put(param(r, "variant"), r);
        }
        out.append("### TrainingBenchmark: ms/op as best [mean] of the measurement iterations; "
                + "samples/s = rows / best time\n\n");
        out.append("| model | rows | train epoch ms/op | train samples/s | forward+backward samples/s "
                + "| forward samples/s | train / forward+backward | train / forward |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, RunResult>> e : rows.entrySet()) {
            RunResult train = e.getValue().get("train");
            RunResult gradients = e.getValue().get("gradients");
            RunResult forward = e.getValue().get("forward");
            RunResult any = e.getValue().values().iterator().next();
            long rowsPerOp = Long.parseLong(param(any, "rows"));
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", e.getKey(), rowsPerOp,
                    train == null ? "–" : msWithRange(train), perSecond(rowsPerOp, train),
                    perSecond(rowsPerOp, gradients), perSecond(rowsPerOp, forward), ratio(gradients, train),
                    ratio(forward, train)));
        }
    }

    private static void statisticsRounds(List<RunResult> results, StringBuilder out) {
        Map<String, RunResult> byVariant = new LinkedHashMap<>();
        for (RunResult r : results) {
            byVariant.put(param(r, "variant"), r);
        }
        RunResult fit = byVariant.get("fit");
        RunResult any = results.getFirst();
        out.append("### StatisticsRoundBenchmark: ms/op as best [mean] of the measurement iterations, "
                + param(any, "sites") + " sites of " + param(any, "rows") + " rows\n\n");
        out.append("| round | ms/op | fit round / this round |\n|---|---:|---:|\n");
        for (Map.Entry<String, RunResult> e : byVariant.entrySet()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", e.getKey(), msWithRange(e.getValue()),
                    fit == null ? "–" : fmt(millis(fit) / millis(e.getValue()))));
        }
    }

    private static void generic(String name, List<RunResult> results, StringBuilder out) {
        out.append("### ").append(name).append("\n\n| method | params | ms/op |\n|---|---|---:|\n");
        for (RunResult r : results) {
            out.append("| ").append(method(r)).append(" | ").append(r.getParams().getParamsKeys().stream()
                    .map(k -> k + "=" + r.getParams().getParam(k)).toList()).append(" | ").append(msWithRange(r))
                    .append(" |\n");
        }
    }

    private static String className(RunResult r) {
        String b = r.getParams().getBenchmark();
        String cls = b.substring(0, b.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static String method(RunResult r) {
        String b = r.getParams().getBenchmark();
        return b.substring(b.lastIndexOf('.') + 1);
    }

    private static String param(RunResult r, String key) {
        String v = r.getParams().getParam(key);
        return v == null ? "?" : v;
    }

    /**
     * The best (shortest) measurement iteration's time per operation, in ms: on a shared machine the least
     * disturbed iteration is the closest to what the code can do, as in STREAM's best-of-N.
     */
    private static double millis(RunResult r) {
        Result<?> res = r.getPrimaryResult();
        return res.getStatistics().getMin() * toMillis(res.getScoreUnit());
    }

    private static double toMillis(String unit) {
        String u = unit.substring(0, unit.indexOf('/'));
        return switch (u) {
            case "ns" -> 1e-6;
            case "us" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1e3;
            default -> throw new IllegalArgumentException("unsupported score unit " + unit + " (use -bm avgt)");
        };
    }

    /** Best and mean time per operation in ms over the measurement iterations, as "best [mean]". */
    private static String msWithRange(RunResult r) {
        Result<?> res = r.getPrimaryResult();
        double scale = toMillis(res.getScoreUnit());
        String best = fmt(res.getStatistics().getMin() * scale);
        if (res.getStatistics().getN() < 2) {
            return best;
        }
        return best + " [" + fmt(res.getScore() * scale) + "]";
    }

    private static String gbps(double bytes, RunResult r) {
        if (r == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f", bytes / (millis(r) * 1e6));
    }

    private static String perSecond(long count, RunResult r) {
        if (r == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,.0f", count / (millis(r) / 1e3));
    }

    /** Throughput of {@code r} as a share of the baseline's: baseline time / r time. */
    private static String ratio(RunResult baseline, RunResult r) {
        if (baseline == null || r == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * millis(baseline) / millis(r));
    }

    private static String allocMb(RunResult r) {
        if (r == null) {
            return "–";
        }
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return String.format(Locale.ROOT, "%.1f", e.getValue().getScore() / 1e6);
            }
        }
        return "–";
    }

    private static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String sci(long v) {
        int exp = 0;
        long m = v;
        while (m >= 10 && m % 10 == 0) {
            m /= 10;
            exp++;
        }
        return exp >= 3 ? (m == 1 ? "1e" + exp : m + "e" + exp) : Long.toString(v);
    }
}
