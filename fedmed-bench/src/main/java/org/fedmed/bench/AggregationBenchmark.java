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
 * One FedAvg aggregation round on one thread, N updates of P floats streamed from an {@link UpdateRing},
 * against memory-bandwidth baselines over the same updates. Each {@code variant} names what one operation
 * runs:
 * <ul>
 *   <li>{@code aggregator}: a new {@link WeightedMeanAggregator}, N accepts, then {@code result()};</li>
 *   <li>{@code read}: a read-only reduction of each update in turn ({@link Kernels#readSum});</li>
 *   <li>{@code read-4}: the same reduction over four updates side by side ({@link Kernels#readSum4});</li>
 *   <li>{@code axpy}: {@code acc += w * x} for each update in turn ({@link Kernels#axpy}), STREAM-style.</li>
 * </ul>
 * All read N * P * 4 bytes of updates per operation, so GB/s = N * P * 4 / time is comparable across them.
 * The variant is the fastest-varying parameter, so the baselines for one (N, P) run right next to the
 * aggregator in time, which keeps the ratios meaningful on a machine whose load drifts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g",
        "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class AggregationBenchmark {

    /** Updates per round. */
    @Param({"10", "100", "1000"})
    public int n;

    /** Floats per update. */
    @Param({"100000", "1000000", "10000000"})
    public int p;

    /** What one operation runs; see the class description. */
    @Param({"read", "read-4", "axpy", "aggregator"})
    public String variant;

    private UpdateRing ring;
    private float[] acc;

    @Setup
    public void setup() {
        if (!Arrays.asList("read", "read-4", "axpy", "aggregator").contains(variant)) {
            throw new IllegalArgumentException("unknown variant '" + variant + "' (read, read-4, axpy, aggregator)");
        }
        ring = UpdateRing.build(p, 42);
        acc = new float[p];
    }

    @Benchmark
    public Object round() throws UpdateRejectedException {
        return switch (variant) {
            case "aggregator" -> aggregator();
            case "read" -> ring.readNext(n);
            case "read-4" -> ring.readNext4(n);
            default -> axpy();
        };
    }

    private Object aggregator() throws UpdateRejectedException {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(ring.global(), SiteWeighting.SAMPLE_COUNT::weight,
                1.0, UpdateRing.ROUND);
        for (int j = 0; j < n; j++) {
            agg.accept(ring.update(ring.nextIndex(), j));
        }
        return agg.result();
    }

    private float[] axpy() {
        float[] a = acc;
        Arrays.fill(a, 0f);
        for (int j = 0; j < n; j++) {
            int k = ring.nextIndex();
            Kernels.axpy(a, ring.weight(k), ring.flat(k));
        }
        return a;
    }
}
