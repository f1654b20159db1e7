package org.fedmed.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops the aggregation benchmarks time: a read-only reduction and a single-update {@code acc += w * x}
 * that measure what the memory system delivers to one thread, and alternative ways of folding a group of
 * updates into a float accumulator, to compare against the grouped fold of
 * {@link org.fedmed.core.strategy.WeightedMeanAggregator}.
 */
public final class Kernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Floats per tile in {@link #foldTiled}: 8 KiB, so an accumulator tile stays in L1. */
    public static final int TILE = 2048;

    private Kernels() {
    }

    /**
     * Sum of all values with four independent vector accumulators: a pure read of {@code x}, limited by
     * memory bandwidth, not by add latency.
     */
    public static float readSum(float[] x) {
        int lanes = SPECIES.length();
        int step = 4 * lanes;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = x.length - step;
        for (; i <= bound; i += step) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, x, i));
            a1 = a1.add(FloatVector.fromArray(SPECIES, x, i + lanes));
            a2 = a2.add(FloatVector.fromArray(SPECIES, x, i + 2 * lanes));
            a3 = a3.add(FloatVector.fromArray(SPECIES, x, i + 3 * lanes));
        }
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < x.length; i++) {
            s += x[i];
        }
        return s;
    }

    /**
     * Sum of all values of four arrays of equal length, read side by side: the read-only baseline with as
     * many concurrent streams as a group of four updates.
     */
    public static float readSum4(float[] x0, float[] x1, float[] x2, float[] x3) {
        int lanes = SPECIES.length();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        int n = x0.length;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += lanes) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, x0, i));
            a1 = a1.add(FloatVector.fromArray(SPECIES, x1, i));
            a2 = a2.add(FloatVector.fromArray(SPECIES, x2, i));
            a3 = a3.add(FloatVector.fromArray(SPECIES, x3, i));
        }
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += (x0[i] + x1[i]) + (x2[i] + x3[i]);
        }
        return s;
    }

    /** {@code acc[i] += w * x[i]}: one update folded straight into the accumulator (STREAM-style). */
    public static void axpy(float[] acc, float w, float[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += w * x[i];
        }
    }

    /**
     * Index of the first NaN or infinite value, or -1: the same answer as
     * {@link org.fedmed.core.ModelParameters#firstNonFinite()}. The scan is a vector sum of {@code x * 0},
     * which is 0 when every value is finite and NaN otherwise; only then is the exact index searched for.
     */
    public static int firstNonFiniteVector(float[] x) {
        int lanes = SPECIES.length();
        int step = 2 * lanes;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = x.length - step;
        for (; i <= bound; i += step) {
            a0 = a0.add(FloatVector.fromArray(SPECIES, x, i).mul(0f));
            a1 = a1.add(FloatVector.fromArray(SPECIES, x, i + lanes).mul(0f));
        }
        float t = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < x.length; i++) {
            t += x[i] * 0f;
        }
        if (t == 0f) {
            return -1;
        }
        for (int j = 0; j < x.length; j++) {
            if (!Float.isFinite(x[j])) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Folds {@code count} updates into {@code sum} in one pass over it with explicit vectors: each vector of
     * the accumulator is loaded once, gets {@code w_k * x_k} added for every update in order, and is stored
     * once, for any group size.
     */
    public static void foldVector(float[] sum, float[][] xs, float[] ws, int count) {
        int lanes = SPECIES.length();
        int n = sum.length;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector acc = FloatVector.fromArray(SPECIES, sum, i);
            for (int k = 0; k < count; k++) {
                acc = FloatVector.fromArray(SPECIES, xs[k], i).mul(ws[k]).add(acc);
            }
            acc.intoArray(sum, i);
        }
        for (; i < n; i++) {
            float s = sum[i];
            for (int k = 0; k < count; k++) {
                s += ws[k] * xs[k][i];
            }
            sum[i] = s;
        }
    }

    /**
     * Folds {@code count} updates into {@code sum} in one pass over it, with the loop body written out for
     * the group size (1, 2, 4, 8 or 16; other counts are split into those). Group 4 is the arithmetic of
     * {@link org.fedmed.core.strategy.WeightedMeanAggregator}.
     */
    public static void foldUnrolled(float[] sum, float[][] xs, float[] ws, int count) {
        int k = 0;
        while (count - k >= 16) {
            fold16(sum, xs, ws, k);
            k += 16;
        }
        while (count - k >= 8) {
            fold8(sum, xs, ws, k);
            k += 8;
        }
        while (count - k >= 4) {
            fold4(sum, xs, ws, k);
            k += 4;
        }
        while (count - k >= 2) {
            fold2(sum, xs, ws, k);
            k += 2;
        }
        if (count - k == 1) {
            axpy(sum, ws[k], xs[k]);
        }
    }

    private static void fold2(float[] sum, float[][] xs, float[] ws, int k) {
        float w0 = ws[k], w1 = ws[k + 1];
        float[] x0 = xs[k], x1 = xs[k + 1];
        for (int i = 0; i < sum.length; i++) {
            sum[i] += w0 * x0[i] + w1 * x1[i];
        }
    }

    private static void fold4(float[] sum, float[][] xs, float[] ws, int k) {
        float w0 = ws[k], w1 = ws[k + 1], w2 = ws[k + 2], w3 = ws[k + 3];
        float[] x0 = xs[k], x1 = xs[k + 1], x2 = xs[k + 2], x3 = xs[k + 3];
        for (int i = 0; i < sum.length; i++) {
            sum[i] += (w0 * x0[i] + w1 * x1[i]) + (w2 * x2[i] + w3 * x3[i]);
        }
    }

    private static void fold8(float[] sum, float[][] xs, float[] ws, int k) {
        float w0 = ws[k], w1 = ws[k + 1], w2 = ws[k + 2], w3 = ws[k + 3];
        float w4 = ws[k + 4], w5 = ws[k + 5], w6 = ws[k + 6], w7 = ws[k + 7];
        float[] x0 = xs[k], x1 = xs[k + 1], x2 = xs[k + 2], x3 = xs[k + 3];
        float[] x4 = xs[k + 4], x5 = xs[k + 5], x6 = xs[k + 6], x7 = xs[k + 7];
        for (int i = 0; i < sum.length; i++) {
            sum[i] += ((w0 * x0[i] + w1 * x1[i]) + (w2 * x2[i] + w3 * x3[i]))
                    + ((w4 * x4[i] + w5 * x5[i]) + (w6 * x6[i] + w7 * x7[i]));
        }
    }

    private static void fold16(float[] sum, float[][] xs, float[] ws, int k) {
        float w0 = ws[k], w1 = ws[k + 1], w2 = ws[k + 2], w3 = ws[k + 3];
        float w4 = ws[k + 4], w5 = ws[k + 5], w6 = ws[k + 6], w7 = ws[k + 7];
        float w8 = ws[k + 8], w9 = ws[k + 9], w10 = ws[k + 10], w11 = ws[k + 11];
        float w12 = ws[k + 12], w13 = ws[k + 13], w14 = ws[k + 14], w15 = ws[k + 15];
        float[] x0 = xs[k], x1 = xs[k + 1], x2 = xs[k + 2], x3 = xs[k + 3];
        float[] x4 = xs[k + 4], x5 = xs[k + 5], x6 = xs[k + 6], x7 = xs[k + 7];
        float[] x8 = xs[k + 8], x9 = xs[k + 9], x10 = xs[k + 10], x11 = xs[k + 11];
        float[] x12 = xs[k + 12], x13 = xs[k + 13], x14 = xs[k + 14], x15 = xs[k + 15];
        for (int i = 0; i < sum.length; i++) {
            float a = ((w0 * x0[i] + w1 * x1[i]) + (w2 * x2[i] + w3 * x3[i]))
                    + ((w4 * x4[i] + w5 * x5[i]) + (w6 * x6[i] + w7 * x7[i]));
            float b = ((w8 * x8[i] + w9 * x9[i]) + (w10 * x10[i] + w11 * x11[i]))
                    + ((w12 * x12[i] + w13 * x13[i]) + (w14 * x14[i] + w15 * x15[i]));
            sum[i] += a + b;
        }
    }

    /**
     * Folds four updates, {@code xs[k .. k+3]}, into {@code sum} in one pass that also checks them: every
     * update value is read once, both for the fold and for a per-update vector sum of {@code x * 0} (0 when
     * all values are finite, NaN otherwise). Returns a bit mask with bit j set when update {@code k + j} holds
     * a NaN or infinite value; the accumulator then already holds that update's contribution.
     */
    public static int foldChecked4(float[] sum, float[][] xs, float[] ws, int k) {
        float w0 = ws[k], w1 = ws[k + 1], w2 = ws[k + 2], w3 = ws[k + 3];
        float[] x0 = xs[k], x1 = xs[k + 1], x2 = xs[k + 2], x3 = xs[k + 3];
        FloatVector b0 = FloatVector.zero(SPECIES);
        FloatVector b1 = FloatVector.zero(SPECIES);
        FloatVector b2 = FloatVector.zero(SPECIES);
        FloatVector b3 = FloatVector.zero(SPECIES);
        int lanes = SPECIES.length();
        int n = sum.length;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, x0, i);
            FloatVector v1 = FloatVector.fromArray(SPECIES, x1, i);
            FloatVector v2 = FloatVector.fromArray(SPECIES, x2, i);
            FloatVector v3 = FloatVector.fromArray(SPECIES, x3, i);
            FloatVector group = v0.mul(w0).add(v1.mul(w1)).add(v2.mul(w2).add(v3.mul(w3)));
            FloatVector.fromArray(SPECIES, sum, i).add(group).intoArray(sum, i);
            b0 = b0.add(v0.mul(0f));
            b1 = b1.add(v1.mul(0f));
            b2 = b2.add(v2.mul(0f));
            b3 = b3.add(v3.mul(0f));
        }
        float c0 = b0.reduceLanes(VectorOperators.ADD);
        float c1 = b1.reduceLanes(VectorOperators.ADD);
        float c2 = b2.reduceLanes(VectorOperators.ADD);
        float c3 = b3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum[i] += (w0 * x0[i] + w1 * x1[i]) + (w2 * x2[i] + w3 * x3[i]);
            c0 += x0[i] * 0f;
            c1 += x1[i] * 0f;
            c2 += x2[i] * 0f;
            c3 += x3[i] * 0f;
        }
        return (c0 == 0f ? 0 : 1) | (c1 == 0f ? 0 : 2) | (c2 == 0f ? 0 : 4) | (c3 == 0f ? 0 : 8);
    }

    /**
     * Folds {@code count} updates into {@code sum} tile by tile: for each {@link #TILE}-float tile of the
     * accumulator, every update's matching tile is added in order, so the accumulator crosses the memory bus
     * once per call whatever the count, and each element gets the same sequence of additions as folding the
     * updates one at a time.
     */
    public static void foldTiled(float[] sum, float[][] xs, float[] ws, int count) {
        int n = sum.length;
        for (int t = 0; t < n; t += TILE) {
            int end = Math.min(n, t + TILE);
            for (int k = 0; k < count; k++) {
                float w = ws[k];
                float[] x = xs[k];
                for (int i = t; i < end; i++) {
                    sum[i] += w * x[i];
                }
            }
        }
    }
}
