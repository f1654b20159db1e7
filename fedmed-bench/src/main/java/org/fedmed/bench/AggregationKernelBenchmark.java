package org.fedmed.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightedMeanAggregator;
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
 * Where an aggregation round's time goes, one piece at a time, over N updates of P floats streamed from an
 * {@link UpdateRing}. Each {@code variant} value names what one operation runs:
 * <ul>
 *   <li>{@code read}, {@code read-4}: the read-only bandwidth baselines, one update at a time
 *       ({@link Kernels#readSum}) or four side by side ({@link Kernels#readSum4});</li>
 *   <li>{@code core-check}: the aggregator's finite-value check alone
 *       ({@link org.fedmed.core.ModelParameters#firstNonFinite()}); {@code vector-check}: the same answer from
 *       {@link Kernels#firstNonFiniteVector};</li>
 *   <li>{@code unrolled-G}, {@code vector-G}, {@code tiled-G}: folds that hold G updates per pass over the
 *       accumulator ({@link Kernels#foldUnrolled}, where G = 4 is the aggregator's arithmetic,
 *       {@link Kernels#foldVector}, {@link Kernels#foldTiled});</li>
 *   <li>{@code CHECK+FOLD-G}: each update checked as it arrives, then the group folded, as the aggregator
 *       does, e.g. {@code core-check+unrolled-4};</li>
 *   <li>{@code fused-4}: check and fold of each group of four in a single read of the updates
 *       ({@link Kernels#foldChecked4});</li>
 *   <li>{@code aggregator}: the full {@link WeightedMeanAggregator} round, for reference.</li>
 * </ul>
 * Every variant reads N * P * 4 bytes of updates per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g",
        "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class AggregationKernelBenchmark {

    /** Updates per round: a multiple of every group size below, so no group is partial. */
    @Param({"96"})
    public int n;

    /** Floats per update. */
    @Param({"1000000", "10000000"})
    public int p;

    /**
     * What one operation runs; see the class description. It is the fastest-varying parameter, so all
     * variants for one P run back to back.
     */
    @Param({"read", "read-4", "core-check", "vector-check", "unrolled-1", "unrolled-2", "unrolled-4", "unrolled-8",
            "unrolled-16", "vector-4", "vector-8", "vector-16", "core-check+unrolled-4", "vector-check+unrolled-4",
            "fused-4", "aggregator"})
    public String variant;

    private enum Check { NONE, CORE, VECTOR }

    private enum Fold { NONE, UNROLLED, VECTOR, TILED, FUSED }

    private UpdateRing ring;
    private float[] sum;
    private float[][] group;
    private float[] groupWeights;
    private int groupSize;
    private Check check;
    private Fold fold;

    @Setup
    public void setup() {
        ring = UpdateRing.build(p, 42);
        sum = new float[p];
        check = Check.NONE;
        fold = Fold.NONE;
        groupSize = 1;
        if (!variant.equals("read") && !variant.equals("read-4") && !variant.equals("aggregator")) {
            String foldPart = variant;
            int plus = variant.indexOf('+');
            String checkPart = plus >= 0 ? variant.substring(0, plus) : variant.endsWith("-check") ? variant : null;
            if (checkPart != null) {
                check = switch (checkPart) {
                    case "core-check" -> Check.CORE;
                    case "vector-check" -> Check.VECTOR;
                    default -> throw unknown();
                };
                foldPart = plus >= 0 ? variant.substring(plus + 1) : null;
            }
            if (foldPart != null) {
                int dash = foldPart.lastIndexOf('-');
                if (dash < 0) {
                    throw unknown();
                }
                fold = switch (foldPart.substring(0, dash)) {
                    case "fused" -> Fold.FUSED;
                    case "unrolled" -> Fold.UNROLLED;
                    case "vector" -> Fold.VECTOR;
                    case "tiled" -> Fold.TILED;
                    default -> throw unknown();
                };
                groupSize = Integer.parseInt(foldPart.substring(dash + 1));
                if (fold == Fold.FUSED && groupSize != 4) {
                    throw new IllegalArgumentException("fused folds come in groups of 4 only: " + variant);
                }
                if (groupSize < 1 || n % groupSize != 0) {
                    throw new IllegalArgumentException("group size " + groupSize + " must divide n = " + n);
                }
            }
        }
        group = new float[groupSize][];
        groupWeights = new float[groupSize];
    }

    private IllegalArgumentException unknown() {
        return new IllegalArgumentException("unknown variant '" + variant + "' (read, read-4, aggregator, core-check, "
                + "vector-check, unrolled-G, vector-G, tiled-G, fused-4, CHECK+FOLD-G)");
    }

    @Benchmark
    public Object round() throws UpdateRejectedException {
        if (variant.equals("read")) {
            return ring.readNext(n);
        }
        if (variant.equals("read-4")) {
            return ring.readNext4(n);
        }
        if (variant.equals("aggregator")) {
            return aggregator();
        }
        if (fold == Fold.NONE) {
            return checkOnly();
        }
        return checkAndFold();
    }

    private int check(int k) {
        return switch (check) {
            case NONE -> -1;
            case CORE -> ring.update(k).parameters().firstNonFinite();
            case VECTOR -> Kernels.firstNonFiniteVector(ring.flat(k));
        };
    }

    private int checkOnly() {
        int bad = 0;
        for (int j = 0; j < n; j++) {
            bad += check(ring.nextIndex());
        }
        return bad;
    }

    private Object aggregator() throws UpdateRejectedException {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(ring.global(), SiteWeighting.SAMPLE_COUNT::weight,
                1.0, UpdateRing.ROUND);
        for (int j = 0; j < n; j++) {
            agg.accept(ring.update(ring.nextIndex(), j));
        }
        return agg.result();
    }

    private float[] checkAndFold() {
        float[] s = sum;
        Arrays.fill(s, 0f);
        for (int j = 0; j < n; j += groupSize) {
            for (int g = 0; g < groupSize; g++) {
                int k = ring.nextIndex();
                if (check(k) >= 0) {
                    throw new IllegalStateException("update " + k + " holds a non-finite value");
                }
                group[g] = ring.flat(k);
                groupWeights[g] = ring.weight(k);
            }
            switch (fold) {
                case UNROLLED -> Kernels.foldUnrolled(s, group, groupWeights, groupSize);
                case VECTOR -> Kernels.foldVector(s, group, groupWeights, groupSize);
                case TILED -> Kernels.foldTiled(s, group, groupWeights, groupSize);
                case FUSED -> {
                    if (Kernels.foldChecked4(s, group, groupWeights, 0) != 0) {
                        throw new IllegalStateException("an update holds a non-finite value");
                    }
                }
                case NONE -> throw new IllegalStateException();
            }
        }
        return s;
    }
}
