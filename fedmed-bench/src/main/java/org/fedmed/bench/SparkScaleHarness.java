package org.fedmed.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.LocalFoldingPool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.data.population.PopulationSpec;
import org.fedmed.data.population.RegionRule;
import org.fedmed.data.population.SiteGenerator;
import org.fedmed.ml.DenseSpec;
import org.fedmed.spark.PopulationSites;
import org.fedmed.spark.SparkContexts;
import org.fedmed.spark.SparkSitePool;

/**
 * The Spark pool's scale figures, measured in one run on {@code local[2]} and written to a Markdown file:
 * <ol>
 *   <li>the headline: a wearable-style population of 10^6 devices, 1000 sampled per round, 100 rounds of logistic
 *       regression (FedAvg, one local epoch): wall time, mean round time, and the driver's live heap;</li>
 *   <li>driver heap against population size (10^4, 10^5, 10^6; the same 1000 sampled, 20 rounds each): the live heap
 *       after a full GC, sampled every 5 rounds, whose maximum must not grow with the population;</li>
 *   <li>the Spark pool's per-round overhead against the in-process pool (both folding, both on 2 threads) at 100,
 *       1000 and 10,000 sampled sites of a 10^5 population: mean round time over 8 rounds after 2 warm-up rounds.</li>
 * </ol>
 * Evaluation runs on a fixed sample of 200 sites in the last round only, so the rounds time training and
 * aggregation. The in-process pool is {@code simulate}'s lazy population pool, folding as the Spark pool does. Local mode runs the executors in the driver JVM, so "driver heap" includes the tasks' working set.
 * The harness starts no process: the context's threads stop with it, in a finally block.
 *
 * <p>Usage: {@code java -Xmx2g -cp <bench classes and dependencies> org.fedmed.bench.SparkScaleHarness [OUT.md]
 * [--quick] [--only headline|heap|overhead]}; {@code --quick} runs a tenth of every figure, for a check that it
 * works; {@code --only} runs one of the three.
 */
public final class SparkScaleHarness {

    private static final long SEED = 2026;

    private SparkScaleHarness() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "spark-scale.md");
        boolean quick = List.of(args).contains("--quick");
        int only = List.of(args).indexOf("--only");
        String part = only >= 0 && only + 1 < args.length ? args[only + 1] : "all";
        if (!List.of("all", "headline", "heap", "overhead").contains(part)) {
            throw new IllegalArgumentException("--only takes headline, heap or overhead, got '" + part + "'");
        }
        int scale = quick ? 10 : 1;
        String startLoad = loadAverage();
        List<String> lines = new ArrayList<>();
        lines.add("Spark scale harness, " + java.time.Instant.now() + ", JDK " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB" + (quick ? " (quick: a tenth)" : ""));
        try (JavaSparkContext spark = SparkContexts.open(SparkContexts.local(2), "fedmed-scale")) {
            // warm-up: JIT, Spark's first job, the population's first sites
            runOnSpark(spark, population(10_000), 1000 / scale, 3);
            if (part.equals("all") || part.equals("headline")) {
                headline(spark, scale, lines);
            }
            if (part.equals("all") || part.equals("heap")) {
                heap(spark, scale, lines);
            }
            if (part.equals("all") || part.equals("overhead")) {
                overhead(spark, scale, lines);
            }
        }
        lines.add("");
        lines.add("Load average (1, 5, 15 min) at the start: " + startLoad + "; at the end: " + loadAverage());
        Files.write(out, lines);
        System.out.println("figures written to " + out.toAbsolutePath());
    }

    private static void headline(JavaSparkContext spark, int scale, List<String> lines) {
        lines.add("");
        lines.add("### Headline: 10^6 devices, " + 1000 / scale + " per round, " + 100 / scale + " rounds, local[2]");
        lines.add("");
        Measured m = runOnSpark(spark, population(1_000_000), 1000 / scale, 100 / scale);
        lines.add("| wall time | mean round | fastest round | slowest round | driver live heap (max) |");
        lines.add("|---|---|---|---|---|");
        lines.add(String.format(Locale.ROOT, "| %.1f s | %.0f ms | %d ms | %d ms | %.0f MiB |", m.wallMillis / 1000.0,
                m.meanRoundMillis(), m.fastest(), m.slowest(), m.maxLiveHeapMib));
        print(lines);
    }

    private static void heap(JavaSparkContext spark, int scale, List<String> lines) {
        lines.add("");
        lines.add("### Driver heap against population size (" + 1000 / scale + " per round, " + 20 / scale
                + " rounds)");
        lines.add("");
        lines.add("| population | mean round | driver live heap (max after GC) |");
        lines.add("|---|---|---|");
        for (int size : new int[] {10_000, 100_000, 1_000_000}) {
            Measured m = runOnSpark(spark, population(size), 1000 / scale, Math.max(2, 20 / scale));
            lines.add(String.format(Locale.ROOT, "| %,d | %.0f ms | %.0f MiB |", size, m.meanRoundMillis(),
                    m.maxLiveHeapMib));
            print(lines);
        }
    }

    private static void overhead(JavaSparkContext spark, int scale, List<String> lines) {
        lines.add("");
        lines.add("### Per-round overhead of the Spark pool (population 10^5, 8 rounds after 2 warm-up rounds)");
        lines.add("");
        lines.add("| sampled | in-process round | Spark round | Spark overhead per round |");
        lines.add("|---|---|---|---|");
        PopulationSites sites = population(100_000);
        int rounds = Math.max(2, 8 / scale);
        for (int sampled : new int[] {100, 1000, 10_000}) {
            int k = Math.max(10, sampled / scale);
            double l = runInProcess(sites, k, rounds + 2).meanRoundMillis(2);
            double s = runOnSpark(spark, sites, k, rounds + 2).meanRoundMillis(2);
            lines.add(String.format(Locale.ROOT, "| %,d | %.0f ms | %.0f ms | %+.0f ms |", k, l, s, s - l));
            print(lines);
        }
    }

    /** The machine's load average, from /proc/loadavg where there is one: the machine may be shared. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void print(List<String> lines) {
        System.out.println(lines.getLast());
    }

    private static PopulationSites population(int size) {
        return PopulationSites.of(PopulationSpec.of(SiteGenerator.Wearable.defaults(), size, SEED)
                .withRegions(10, RegionRule.STRIDE), DenseSpec.logistic());
    }

    /** FedAvg sampling {@code k} sites a round (the pools evaluate their fixed sample of 200 sites). */
    private static Strategy strategy(int k) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(k, 1),
                new FitConfig(1, 32, 0.1, false, 0), 1.0);
    }

    private static EngineConfig config(int rounds) {
        return new EngineConfig(StoppingRule.rounds(rounds), Duration.ofMinutes(30), rounds,
                ClassificationMetrics.LOG_LOSS, 3, SEED).withInfluence(new InfluenceLimits(1.0, 2.0));
    }

    /** Round times and the largest live heap after a full GC, sampled every 5 rounds and at the end. */
    private static final class Measured implements RunListener {
        final List<Long> roundMillis = new ArrayList<>();
        double maxLiveHeapMib;
        long wallMillis;

        @Override
        public void roundFinished(RoundRecord record, ModelParameters global) {
            roundMillis.add(record.durationMillis());
            if (record.round() % 5 == 0) {
                sampleHeap();
            }
        }

        void sampleHeap() {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            maxLiveHeapMib = Math.max(maxLiveHeapMib, used / (double) (1 << 20));
        }

        double meanRoundMillis() {
            return meanRoundMillis(0);
        }

        double meanRoundMillis(int skip) {
            return roundMillis.stream().skip(skip).mapToLong(Long::longValue).average().orElse(Double.NaN);
        }

        long fastest() {
            return roundMillis.stream().mapToLong(Long::longValue).min().orElse(0);
        }

        long slowest() {
            return roundMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static Measured run(Strategy strategy, SitePool pool, PopulationSites sites, int rounds) {
        Measured m = new Measured();
        long start = System.nanoTime();
        RunResult r = new RoundEngine(strategy, pool, config(rounds), m)
                .run(sites.model().init(Seeds.of(SEED, Seeds.Stream.INIT)));
        m.wallMillis = (System.nanoTime() - start) / 1_000_000;
        m.sampleHeap();
        if (r.rounds().size() != rounds || !r.rounds().getLast().completed()) {
            throw new IllegalStateException("the run did not complete its " + rounds + " rounds: " + r.stopDetail());
        }
        return m;
    }

    private static List<String> evaluated(PopulationSites sites) {
        List<String> ids = sites.siteIds();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(ids.get((int) ((long) i * ids.size() / 200)));
        }
        return out;
    }

    private static Measured runOnSpark(JavaSparkContext spark, PopulationSites sites, int k, int rounds) {
        try (SparkSitePool pool = new SparkSitePool(spark, sites, evaluated(sites), false)) {
            return run(strategy(k), pool, sites, rounds);
        }
    }

    /** The in-process lazy pool over the same population (what simulate runs), folding its rounds as Spark does. */
    private static Measured runInProcess(PopulationSites sites, int k, int rounds) {
        try (InProcessSitePool pool = InProcessSitePool.lazy(sites.opened().siteIds(), evaluated(sites), sites::site, 0,
                2); LocalFoldingPool folding = new LocalFoldingPool(pool, sites::region)) {
            return run(strategy(k), folding, sites, rounds);
        }
    }
}
