package org.fedmed.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightedMeanAggregator;

/**
 * Heap used by one {@link WeightedMeanAggregator} round of N updates of P floats, for several N, to show that
 * it does not grow with N. Every update is a freshly allocated copy of one of eight templates, the way a
 * deserialized update arrives, so an aggregator that kept its updates would hold N * P * 4 bytes.
 * For each N it prints the peak heap used during the round (sum of the heap pools' peak usage, peaks reset
 * after a full GC just before the round) and the largest live heap seen after a forced full GC in a second
 * round, sampled after each of its first eight accepts, after every tenth of the round and after
 * {@code result()}.
 *
 * <p>Usage: {@code java -Xms256m -Xmx256m -cp benchmarks.jar org.fedmed.bench.PeakHeapHarness [P [N...]]};
 * defaults P = 1000000 and N = 10 100 1000.
 */
public final class PeakHeapHarness {

    private static final int TEMPLATES = 8;
    /** Accepts at the start of a round after each of which the live heap is sampled, whatever N is. */
    private static final int EARLY_SAMPLES = 8;

    private PeakHeapHarness() {
    }

    public static void main(String[] args) throws UpdateRejectedException {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<Integer> ns = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            ns.add(Integer.parseInt(args[i]));
        }
        if (ns.isEmpty()) {
            ns.addAll(List.of(10, 100, 1000));
        }
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[] {p}));
        SplittableRandom rng = new SplittableRandom(7);
        ModelParameters global = ModelParameters.ofFlat(layout, random(p, rng));
        float[][] templates = new float[TEMPLATES][];
        for (int k = 0; k < TEMPLATES; k++) {
            templates[k] = random(p, rng);
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        double mib = 1 << 20;
        System.out.printf("P = %d floats (%.1f MiB per update), max heap %.0f MiB, GC %s%n", p, 4.0 * p / mib,
                maxHeap / mib, gcNames());
        System.out.printf("fixed live data before each round (global model + %d templates): %.1f MiB%n",
                TEMPLATES, 4.0 * p * (TEMPLATES + 1) / mib);
        System.out.println();
        System.out.println("| N | update bytes streamed (MiB) | heap used before round (MiB) | peak heap used during round (MiB) | max live heap during round, after full GC (MiB) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        round(global, templates, 10, -1);
        for (int n : ns) {
            long before = settle();
            resetPeaks();
            round(global, templates, n, -1);
            long peak = peakUsed();
            settle();
            long live = round(global, templates, n, Math.max(1, n / 10));
            System.out.printf("| %d | %.0f | %.1f | %.1f | %.1f |%n", n, 4.0 * p * n / mib, before / mib, peak / mib,
                    live / mib);
        }
    }

    /**
     * Runs one round; if {@code gcEvery > 0}, returns the largest heap used after a full GC, sampled after each
     * of the first eight accepts, after every {@code gcEvery} accepts and after the result.
     */
    private static long round(ModelParameters global, float[][] templates, int n, int gcEvery)
            throws UpdateRejectedException {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        long maxLive = 0;
        for (int j = 0; j < n; j++) {
            float[] values = templates[j % templates.length].clone();
            agg.accept(new FitResult("site-" + j, "r1-fit-site-" + j, ModelParameters.ofFlat(global.layout(), values),
                    false, 100 + j, 1.0, Map.of()));
            if (gcEvery > 0 && (j < EARLY_SAMPLES || (j + 1) % gcEvery == 0)) {
                maxLive = Math.max(maxLive, settle());
            }
        }
        ModelParameters result = agg.result();
        if (gcEvery > 0) {
            maxLive = Math.max(maxLive, settle());
        }
        if (result.size() != global.size()) {
            throw new IllegalStateException("wrong result size");
        }
        return maxLive;
    }

    private static float[] random(int p, SplittableRandom rng) {
        float[] v = new float[p];
        for (int i = 0; i < p; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Runs full GCs and returns the heap in use afterwards. */
    private static long settle() {
        System.gc();
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            used += pool.getUsage().getUsed();
        }
        return used;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakUsed() {
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pools.add(pool);
            }
        }
        return pools;
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
        return String.join(", ", names);
    }
}
