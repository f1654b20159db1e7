package org.fedmed.core;

/**
 * L2-norm clipping of a flat vector, the step that bounds one contributor's influence: its sensitivity before DP
 * noise is added, or how far one update may pull a mean under a norm bound. After {@link #clipInPlace} the vector's norm, computed in double precision, is at most the bound.
 */
public final class L2Clip {

    private L2Clip() {
    }

    /** The L2 norm of {@code v}, accumulated in double precision. */
    public static double norm(float[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Scales {@code v} in place so that its L2 norm is at most {@code bound}; a vector already within the bound
     * is left untouched, bit for bit.
     *
     * @return the norm before clipping
     * @throws IllegalArgumentException if the bound is not a positive finite number, or v holds NaN or infinity
     */
    public static double clipInPlace(float[] v, double bound) {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new IllegalArgumentException("clip norm must be a positive finite number, got " + bound);
        }
        double before = norm(v);
        if (!Double.isFinite(before)) {
            throw new IllegalArgumentException("cannot clip a vector holding NaN or infinite values (norm " + before + ")");
        }
        double current = before;
        double target = bound;
        // Float rounding can leave the scaled norm a hair above the bound; aim slightly lower until it is not.
        while (current > bound) {
            scale(v, (float) (target / current));
            current = norm(v);
            target *= 1 - 1e-7;
        }
        return before;
    }

    private static void scale(float[] v, float factor) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
    }
}
