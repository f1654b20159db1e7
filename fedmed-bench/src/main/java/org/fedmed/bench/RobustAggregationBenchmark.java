package org.fedmed.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightedMeanAggregator;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One aggregation round of N updates of P floats through each robust rule of {@code core.strategy.robust}, against
 * FedAvg's streaming weighted mean over the same updates in the same run. Each {@code rule} value names the
 * aggregator one operation builds, feeds N updates and asks for its result:
 * <ul>
 *   <li>{@code fedavg}: {@link WeightedMeanAggregator} with sample-count weights, the baseline;</li>
 *   <li>{@code median}: {@link AggregationRule.Median}, time O(P·N log N);</li>
 *   <li>{@code trimmed_mean}: {@link AggregationRule.TrimmedMean} with beta = 0.1, time O(P·N log N);</li>
 *   <li>{@code krum}: {@link AggregationRule.Krum} with f = floor((N - 3) / 2) capped at N / 10, time O(N²·P);</li>
 *   <li>{@code multi_krum}: {@link AggregationRule.MultiKrum} with the same f and m = N / 2, time O(N²·P) plus
 *       the m rescorings.</li>
 * </ul>
 * A robust round holds all N updates (by reference: updates that arrive as full weights are not copied), so its
 * memory is O(N·P). Rounds get long (Krum at N = 1000, P = 1e5 computes 5e5 distances of 1e5 floats), so the
 * defaults are few and short iterations; an iteration runs at least one whole round. Updates come from an {@link UpdateRing}; a round longer than the
 * ring sends repeated values under distinct site ids, which changes no rule's cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RobustAggregationBenchmark {

    /** The rules, baseline first. */
    public static final List<String> RULES = List.of("fedavg", "median", "trimmed_mean", "krum", "multi_krum");

    /** Updates per round. */
    @Param({"10", "100", "1000"})
    public int n;

    /** Floats per update. */
    @Param({"100000"})
    public int p;

    /** The aggregator; see the class description. */
    @Param({"fedavg", "median", "trimmed_mean", "krum", "multi_krum"})
    public String rule;

    private UpdateRing ring;

    @Setup
    public void setup() {
        if (!RULES.contains(rule)) {
            throw new IllegalArgumentException("unknown rule '" + rule + "' " + RULES);
        }
        ring = UpdateRing.build(p, 42);
    }

    /** The Byzantine count f used at N: the largest Krum allows (N > 2f + 2), at most N / 10. */
    static int byzantine(int n) {
        return Math.max(0, Math.min(n / 10, (n - 3) / 2));
    }

    private Aggregator newAggregator() {
        int f = byzantine(n);
        return switch (rule) {
            case "fedavg" -> new WeightedMeanAggregator(ring.global(), SiteWeighting.SAMPLE_COUNT::weight, 1.0,
                    UpdateRing.ROUND);
            case "median" -> new AggregationRule.Median().newAggregator(ring.global(), UpdateRing.ROUND);
            case "trimmed_mean" -> new AggregationRule.TrimmedMean(0.1).newAggregator(ring.global(), UpdateRing.ROUND);
            case "krum" -> new AggregationRule.Krum(f).newAggregator(ring.global(), UpdateRing.ROUND);
            default -> new AggregationRule.MultiKrum(f, Math.max(1, Math.min(n / 2, n - f)))
                    .newAggregator(ring.global(), UpdateRing.ROUND);
        };
    }

    @Benchmark
    public Object round() throws UpdateRejectedException {
        Aggregator agg = newAggregator();
        for (int j = 0; j < n; j++) {
            agg.accept(ring.update(ring.nextIndex(), j));
        }
        return agg.result();
    }

    /** Runs one round of every rule at a small size and prints the results' first values (a smoke check). */
    public static void main(String[] args) throws UpdateRejectedException {
        for (String r : RULES) {
            RobustAggregationBenchmark b = new RobustAggregationBenchmark();
            b.n = 10;
            b.p = 1000;
            b.rule = r;
            b.setup();
            float[] out = ((org.fedmed.core.ModelParameters) b.round()).flat();
            System.out.println(r + " " + Arrays.toString(Arrays.copyOf(out, 3)));
        }
    }
}
