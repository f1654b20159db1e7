package org.fedmed.secagg.quant;

import java.util.random.RandomGenerator;
import org.fedmed.secagg.SecAggParameters;

/**
 * Maps float updates to fixed point in Z_{2^k} and a sum back to floats, so that the integer sum of up to
 * {@code maxTotalWeight} weighted inputs never wraps around.
 *
 * <p>Each value is clipped to [-R, R] (R = {@code clipBound}), scaled by {@code s = M / R} with
 * {@code M = floor((2^(k-1) - 1) / W)} (W = {@code maxTotalWeight}), rounded to an integer q in [-M, M],
 * multiplied by the input's integer weight w, and stored modulo 2^k. A sum of inputs whose weights add up to
 * at most W lies in [-(2^(k-1) - 1), 2^(k-1) - 1], so reading the ring sum as a signed k-bit integer and
 * dividing by s recovers it.
 *
 * <p><b>Error bound.</b> Per coordinate, the decoded sum differs from {@code sum_i w_i * clip(x_i)} by at most
 * {@code W_used / (2 s)} with {@link Rounding#NEAREST} and less than {@code W_used / s} with
 * {@link Rounding#STOCHASTIC} (which is unbiased), where W_used is the total weight actually summed, plus
 * {@code W_used * R * 2^-50} for the double arithmetic of scaling (which matters only above 53 ring bits); see
 * {@link #sumErrorBound}. Add to that the final rounding of the decoded sum to float (half an ulp of it).
 * Values beyond [-R, R] are clipped, an error not counted in the bound.
 */
public final class RingQuantizer {

    /** How a scaled value is rounded to an integer. */
    public enum Rounding {
        /** To the nearest integer (ties to even): error at most half a step, but biased for values near a step. */
        NEAREST,
        /** Up with probability equal to the fractional part: unbiased, error under one step, needs a seeded RNG. */
        STOCHASTIC
    }

    private final int ringBits;
    private final double clipBound;
    private final long maxTotalWeight;
    private final Rounding rounding;
    private final long levels;
    private final double scale;
    private final long mask;

    /**
     * @param ringBits       k, as in {@link SecAggParameters#ringBits()}
     * @param clipBound      R > 0: values are clipped to [-R, R]
     * @param maxTotalWeight W >= 1: the largest total weight of inputs that will be summed (n for unweighted)
     * @param rounding       how to round
     */
    public RingQuantizer(int ringBits, double clipBound, long maxTotalWeight, Rounding rounding) {
        if (ringBits < SecAggParameters.MIN_RING_BITS || ringBits > SecAggParameters.MAX_RING_BITS) {
            throw new IllegalArgumentException("ring_bits must be in [" + SecAggParameters.MIN_RING_BITS + ", "
                    + SecAggParameters.MAX_RING_BITS + "], got " + ringBits);
        }
        if (!(clipBound > 0) || !Double.isFinite(clipBound)) {
            throw new IllegalArgumentException("clip_bound must be a positive finite number, got " + clipBound);
        }
        if (maxTotalWeight < 1) {
            throw new IllegalArgumentException("max total weight must be >= 1, got " + maxTotalWeight);
        }
        long half = (1L << (ringBits - 1)) - 1;
        if (maxTotalWeight > half) {
            throw new IllegalArgumentException("a ring of " + ringBits + " bits cannot hold a sum of total weight "
                    + maxTotalWeight + " without wrapping: raise ring_bits to at least "
                    + (65 - Long.numberOfLeadingZeros(maxTotalWeight)));
        }
        this.ringBits = ringBits;
        this.clipBound = clipBound;
        this.maxTotalWeight = maxTotalWeight;
        this.rounding = rounding;
        this.levels = half / maxTotalWeight;
        this.scale = levels / clipBound;
        this.mask = (1L << ringBits) - 1;
    }

    public int ringBits() {
        return ringBits;
    }

    public double clipBound() {
        return clipBound;
    }

    public long maxTotalWeight() {
        return maxTotalWeight;
    }

    public Rounding rounding() {
        return rounding;
    }

    /** s = M / R: ring units per unit of value. One quantization step is 1 / s. */
    public double scale() {
        return scale;
    }

    /**
     * Clips, scales, rounds and weights {@code values} into ring elements in [0, 2^k).
     *
     * @param weight w >= 1, the input's integer weight (1 for an unweighted sum)
     * @param random used by {@link Rounding#STOCHASTIC} only; may be null for {@link Rounding#NEAREST}
     * @throws IllegalArgumentException if a value is NaN or infinite (naming its index) or the weight is invalid
     */
    public long[] quantize(float[] values, long weight, RandomGenerator random) {
        if (weight < 1 || weight > maxTotalWeight) {
            throw new IllegalArgumentException("weight must be in [1, max total weight " + maxTotalWeight + "], got "
                    + weight);
        }
        if (rounding == Rounding.STOCHASTIC && random == null) {
            throw new IllegalArgumentException("stochastic rounding needs a random generator");
        }
        long[] out = new long[values.length];
        double r = clipBound;
        double s = scale;
        for (int i = 0; i < values.length; i++) {
            float x = values[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("value " + x + " at index " + i + " is not finite");
            }
            double clipped = Math.max(-r, Math.min(r, x)) * s;
            long q;
            if (rounding == Rounding.NEAREST) {
                q = (long) Math.rint(clipped);
            } else {
                double floor = Math.floor(clipped);
                q = (long) floor + (random.nextDouble() < clipped - floor ? 1 : 0);
            }
            // |clipped| <= M exactly and M is an integer, so rounding stays in [-M, M].
            q = Math.max(-levels, Math.min(levels, q));
            out[i] = (q * weight) & mask;
        }
        return out;
    }

    /** Reads a ring sum as signed k-bit integers and scales it back: the sum of w_i * clip(x_i), within the bound. */
    public float[] dequantize(long[] ringSum) {
        float[] out = new float[ringSum.length];
        long signBit = 1L << (ringBits - 1);
        for (int i = 0; i < ringSum.length; i++) {
            long v = ringSum[i] & mask;
            long signed = (v & signBit) != 0 ? v - (1L << ringBits) : v;
            out[i] = (float) (signed / scale);
        }
        return out;
    }

    /**
     * The largest per-coordinate difference between the decoded sum (before its rounding to float) and the exact
     * sum of {@code w_i * clip(x_i)}, for inputs whose weights add up to {@code totalWeight}.
     */
    public double sumErrorBound(long totalWeight) {
        double perUnitWeight = rounding == Rounding.NEAREST ? 0.5 / scale : 1.0 / scale;
        // Scaling and unscaling in double add a relative error of about 2^-53 of the clip bound per unit weight,
        // which only matters for rings wider than 53 bits.
        return totalWeight * (perUnitWeight + clipBound * 0x1p-50);
    }
}
