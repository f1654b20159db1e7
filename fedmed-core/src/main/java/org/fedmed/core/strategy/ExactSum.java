package org.fedmed.core.strategy;

import java.io.Serial;
import java.io.Serializable;

/**
 * A vector of exact sums of doubles: each coordinate holds the sum of the values added to it with no rounding at
 * all, on a fixed-point grid of 2^-{@value #FRACTION_BITS} from -2^{@value #MAX_EXPONENT} to 2^{@value #MAX_EXPONENT}.
 * Because nothing is rounded while adding, the sum does not depend on the order values were added in, nor on how
 * they were split into partial sums that were {@linkplain #add(ExactSum) merged} later: any grouping of the same
 * values gives the same {@link #get} bit for bit. That is what lets a Spark job fold sites in its tasks, in whatever
 * order the tasks finish, and still agree with an in-process run of the same sites.
 *
 * <p>A value below the grid (|v| &lt; 2^-{@value #FRACTION_BITS}, about 1e-29) is rounded to it on its own, before it
 * is added, so that rounding too is order-free. A value whose magnitude reaches 2^{@value #MAX_EXPONENT} (about
 * 2e28), or that is not finite, is refused with an {@link ArithmeticException}.
 *
 * <p>Memory: {@value #LIMBS} longs per coordinate (48 bytes), against 4 for a float accumulator. Adding costs a few
 * integer operations per value; carries are propagated lazily. Not thread-safe.
 */
public final class ExactSum implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Bits below the binary point: the grid is 2^-96. */
    static final int FRACTION_BITS = 96;
    /** Values must stay below 2^94 in magnitude, which leaves the top limb room for 2^30 additions' carries. */
    static final int MAX_EXPONENT = 94;
    /** 32-bit limbs per coordinate, least significant first (192 bits). */
    static final int LIMBS = 6;
    private static final long LOW32 = 0xFFFF_FFFFL;
    /** Additions after which carries are propagated, well before a limb can overflow. */
    private static final int NORMALIZE_EVERY = 1 << 28;

    private final long[] limbs;
    private final int size;
    private int sinceNormalized;

    /** {@code size} sums, all zero. */
    public ExactSum(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.size = size;
        this.limbs = new long[size * LIMBS];
    }

    public int size() {
        return size;
    }

    /** Adds {@code v} to coordinate {@code i}. */
    public void add(int i, double v) {
        if (v == 0) {
            return;
        }
        long bits = Double.doubleToRawLongBits(v);
        int exp = (int) ((bits >>> 52) & 0x7FF);
        if (exp == 0x7FF) {
            throw new ArithmeticException("value " + v + " at index " + i + " is not finite");
        }
        long mant = bits & 0x000F_FFFF_FFFF_FFFFL;
        int e;
        if (exp == 0) {
            e = -1074;
        } else {
            mant |= 1L << 52;
            e = exp - 1075;
        }
        if (e + 53 > MAX_EXPONENT) {
            throw new ArithmeticException("value " + v + " at index " + i + " is beyond the exact sum's range of ±2^"
                    + MAX_EXPONENT);
        }
        int p = e + FRACTION_BITS;
        if (p < 0) {
            // below the grid: round this value on its own (half away from zero), so the rounding is order-free
            int shift = -p;
            mant = shift >= 63 ? 0 : (mant + (1L << (shift - 1))) >>> shift;
            p = 0;
            if (mant == 0) {
                return;
            }
        }
        boolean negative = bits < 0;
        int limb = p >>> 5;
        int r = p & 31;
        long low = (mant & ((1L << (32 - r)) - 1)) << r;
        long rest = mant >>> (32 - r);
        int at = i * LIMBS + limb;
        if (negative) {
            limbs[at] -= low;
            if (rest != 0) {
                limbs[at + 1] -= rest & LOW32;
                if ((rest >>> 32) != 0) {
                    limbs[at + 2] -= rest >>> 32;
                }
            }
        } else {
            limbs[at] += low;
            if (rest != 0) {
                limbs[at + 1] += rest & LOW32;
                if ((rest >>> 32) != 0) {
                    limbs[at + 2] += rest >>> 32;
                }
            }
        }
        if (++sinceNormalized >= NORMALIZE_EVERY) {
            normalize();
        }
    }

    /** Adds every coordinate of {@code other} into this one, exactly; {@code other} is left as it was. */
    public void add(ExactSum other) {
        if (other.size != size) {
            throw new IllegalArgumentException("cannot merge an exact sum of " + other.size + " values into one of "
                    + size);
        }
        normalize();
        other.normalize();
        for (int k = 0; k < limbs.length; k++) {
            limbs[k] += other.limbs[k];
        }
        sinceNormalized = 1;
    }

    /** Propagates carries so each limb but the top one is in [0, 2^32): one representation per value. */
    private void normalize() {
        if (sinceNormalized == 0) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int base = i * LIMBS;
            for (int k = 0; k < LIMBS - 1; k++) {
                long carry = limbs[base + k] >> 32;
                limbs[base + k] -= carry << 32;
                limbs[base + k + 1] += carry;
            }
        }
        sinceNormalized = 0;
    }

    /**
     * The sum at coordinate {@code i} as a double: the same double for the same exact sum, however it was reached
     * (within 2 ulps of the exact value).
     */
    public double get(int i) {
        normalize();
        int base = i * LIMBS;
        long[] m = new long[LIMBS];
        System.arraycopy(limbs, base, m, 0, LIMBS);
        boolean negative = m[LIMBS - 1] < 0;
        if (negative) {
            // two's complement negation in radix 2^32: the magnitude, with every limb in [0, 2^32)
            long borrow = 0;
            for (int k = 0; k < LIMBS; k++) {
                long v = -m[k] - borrow;
                borrow = 0;
                if (k < LIMBS - 1 && v < 0) {
                    v += 1L << 32;
                    borrow = 1;
                }
                m[k] = v;
            }
        }
        double d = 0;
        for (int k = LIMBS - 1; k >= 0; k--) {
            if (m[k] != 0) {
                d += Math.scalb((double) m[k], 32 * k - FRACTION_BITS);
            }
        }
        return negative ? -d : d;
    }
}
