package org.fedmed.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * A ring of distinct site updates of P floats each, handed out in a cycle. The ring holds at least
 * {@link #MIN_UPDATES} updates and at least {@link #MIN_RING_BYTES} of floats, far more than the last-level
 * cache, so an aggregation round of any N streams its updates from main memory while the benchmark's memory
 * stays bounded whatever N is. All updates belong to round {@link #ROUND} and share one layout.
 */
public final class UpdateRing {

    /** Round number the updates' task ids belong to. */
    public static final int ROUND = 1;
    /** Fewest updates in a ring. */
    public static final int MIN_UPDATES = 8;
    /** Fewest bytes of update floats in a ring: 256 MiB, eight times a 32 MiB L3. */
    public static final long MIN_RING_BYTES = 256L << 20;

    private final ModelParameters global;
    private final FitResult[] updates;
    private final float[][] flats;
    private final float[] weights;
    private int cursor;

    /** A ring of exactly {@code updates}, whatever their size (for tests; {@link #build} makes a benchmark's). */
    UpdateRing(ModelParameters global, FitResult[] updates) {
        this.global = global;
        this.updates = updates;
        this.flats = new float[updates.length][];
        this.weights = new float[updates.length];
        for (int k = 0; k < updates.length; k++) {
            flats[k] = updates[k].parameters().flat();
            weights[k] = (float) updates[k].numExamples();
        }
    }

    /** Number of updates a ring of P-float updates holds. */
    public static int ringSize(int p) {
        long bytesPerUpdate = 4L * p;
        return (int) Math.max(MIN_UPDATES, (MIN_RING_BYTES + bytesPerUpdate - 1) / bytesPerUpdate);
    }

    /** Builds a ring of P-float updates with values uniform in [-1, 1) and distinct example counts. */
    public static UpdateRing build(int p, long seed) {
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[] {p}));
        ModelParameters global = ModelParameters.ofFlat(layout, randomFloats(p, new SplittableRandom(seed)));
        int size = ringSize(p);
        FitResult[] updates = new FitResult[size];
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (int k = 0; k < size; k++) {
            float[] values = randomFloats(p, rng);
            updates[k] = new FitResult("site-" + k, "r" + ROUND + "-fit-site-" + k, ModelParameters.ofFlat(layout, values),
                    false, 100 + 7L * k, 1.0, Map.of());
        }
        return new UpdateRing(global, updates);
    }

    private static float[] randomFloats(int p, SplittableRandom rng) {
        float[] v = new float[p];
        for (int i = 0; i < p; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** The global model the updates were trained from. */
    public ModelParameters global() {
        return global;
    }

    /** Number of updates in the ring. */
    public int size() {
        return updates.length;
    }

    /** Bytes of update floats in the ring. */
    public long bytes() {
        return 4L * global.size() * updates.length;
    }

    /** Index of the next update and advances the cycle. */
    public int nextIndex() {
        int k = cursor;
        cursor = k + 1 == updates.length ? 0 : k + 1;
        return k;
    }

    /** Update {@code k} of the ring. */
    public FitResult update(int k) {
        return updates[k];
    }

    /**
     * Update {@code k}'s values and example count, sent as site {@code j}'s result of round {@link #ROUND}: a round
     * longer than the ring takes distinct sites, as the aggregator's intake admits one update per site. Only the
     * small result record is new; the floats are shared.
     */
    public FitResult update(int k, int j) {
        FitResult u = updates[k];
        return new FitResult("site-" + j, "r" + ROUND + "-fit-site-" + j, u.parameters(), u.isDelta(), u.numExamples(),
                u.quality(), u.trainMetrics(), u.auxiliary());
    }

    /** The flat floats of update {@code k}. */
    public float[] flat(int k) {
        return flats[k];
    }

    /** The aggregation weight (example count) of update {@code k}. */
    public float weight(int k) {
        return weights[k];
    }

    /**
     * Reads the next {@code n} updates of the cycle once each, one at a time ({@link Kernels#readSum}), and returns
     * the sum of what it read: the cost of touching a round's updates and nothing more.
     */
    public float readNext(int n) {
        float s = 0;
        for (int j = 0; j < n; j++) {
            s += Kernels.readSum(flat(nextIndex()));
        }
        return s;
    }

    /** As {@link #readNext}, four updates at a time ({@link Kernels#readSum4}) and the rest one at a time. */
    public float readNext4(int n) {
        float s = 0;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            s += Kernels.readSum4(flat(nextIndex()), flat(nextIndex()), flat(nextIndex()), flat(nextIndex()));
        }
        for (; j < n; j++) {
            s += Kernels.readSum(flat(nextIndex()));
        }
        return s;
    }
}
