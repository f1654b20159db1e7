package org.fedmed.privacy.accounting;

/**
 * Renyi differential privacy of one step of the sampled Gaussian mechanism: each record (example or site) is
 * included independently with probability q, the included contributions (each of L2 norm at most 1) are summed,
 * and Gaussian noise of standard deviation z is added. The bound is the one of Mironov, Talwar and Zhang,
 * "Renyi Differential Privacy of the Sampled Gaussian Mechanism" (2019), Section 3.3, under add-or-remove-one
 * adjacency: {@code RDP(alpha) = log(A_alpha) / (alpha - 1)}.
 *
 * <p>For integer orders A_alpha is the finite binomial sum; for fractional orders it is the two-sided series of
 * that paper, summed until its terms fall below e^-30. Both are evaluated in log space, so neither overflows
 * for large orders or small noise. Special cases: q = 0 gives 0; z = 0 (with q > 0) or an infinite order gives
 * infinity; q = 1 gives the closed form of the Gaussian mechanism, {@code alpha / (2 z^2)}.
 */
public final class SampledGaussianRdp {

    private static final double LOG_HALF = Math.log(0.5);
    private static final double NEGLIGIBLE_LOG_TERM = -30;
    private static final int MAX_SERIES_TERMS = 1_000_000;

    private SampledGaussianRdp() {
    }

    /**
     * RDP of one step at each of {@code orders}.
     *
     * @throws IllegalArgumentException if q is outside [0, 1], z is negative or not finite, or an order is <= 1
     */
    public static double[] rdp(double q, double z, double[] orders) {
        checkMechanism(q, z);
        double[] out = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            out[i] = rdpChecked(q, z, checkOrder(orders[i]));
        }
        return out;
    }

    /** RDP of one step at one order; see {@link #rdp(double, double, double[])}. */
    public static double rdp(double q, double z, double order) {
        checkMechanism(q, z);
        return rdpChecked(q, z, checkOrder(order));
    }

    private static double rdpChecked(double q, double z, double alpha) {
        if (q == 0) {
            return 0;
        }
        if (z == 0 || alpha == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * z * z);
        }
        double logA = alpha == Math.rint(alpha) && alpha <= Integer.MAX_VALUE - 1
                ? logAIntegerOrder(q, z, (int) alpha)
                : logAFractionalOrder(q, z, alpha);
        return logA / (alpha - 1);
    }

    /** log A_alpha for integer alpha: log of sum_i C(alpha, i) (1-q)^(alpha-i) q^i exp((i^2 - i) / (2 z^2)). */
    private static double logAIntegerOrder(double q, double z, int alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoZ2 = 2 * z * z;
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0;
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinomial += Math.log(alpha - i + 1) - Math.log(i);
            }
            double exponent = ((double) i * i - i) / twoZ2;
            logA = LogMath.logAdd(logA, logBinomial + i * logQ + (alpha - i) * logOneMinusQ + exponent);
        }
        return logA;
    }

    /**
     * log A_alpha for fractional alpha: the sum of the integrals of the likelihood-ratio moment below and above
     * z0 = z^2 log(1/q - 1) + 1/2, each expanded as a binomial series whose coefficients change sign once i
     * exceeds alpha + 1.
     */
    private static double logAFractionalOrder(double q, double z, double alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double z0 = z * z * (logOneMinusQ - logQ) + 0.5;
        double twoZ2 = 2 * z * z;
        double sqrt2Z = Math.sqrt(2) * z;
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logAbsBinomial = 0;
        boolean positive = true;
        for (int i = 0; i < MAX_SERIES_TERMS; i++) {
            if (i > 0) {
                double factor = alpha - i + 1;
                logAbsBinomial += Math.log(Math.abs(factor)) - Math.log(i);
                if (factor < 0) {
                    positive = !positive;
                }
            }
            double j = alpha - i;
            double logT0 = logAbsBinomial + i * logQ + j * logOneMinusQ;
            double logT1 = logAbsBinomial + j * logQ + i * logOneMinusQ;
            double logE0 = LOG_HALF + LogMath.logErfc((i - z0) / sqrt2Z);
            double logE1 = LOG_HALF + LogMath.logErfc((z0 - j) / sqrt2Z);
            double logS0 = logT0 + ((double) i * i - i) / twoZ2 + logE0;
            double logS1 = logT1 + (j * j - j) / twoZ2 + logE1;
            try {
                if (positive) {
                    logA0 = LogMath.logAdd(logA0, logS0);
                    logA1 = LogMath.logAdd(logA1, logS1);
                } else {
                    logA0 = LogMath.logSub(logA0, logS0);
                    logA1 = LogMath.logSub(logA1, logS1);
                }
            } catch (ArithmeticException e) {
                throw new ArithmeticException("RDP series lost precision at term " + i + " for q = " + q + ", z = " + z
                        + ", order " + alpha + "; use integer orders for these settings (" + e.getMessage() + ")");
            }
            if (Math.max(logS0, logS1) < NEGLIGIBLE_LOG_TERM) {
                return LogMath.logAdd(logA0, logA1);
            }
        }
        throw new ArithmeticException("RDP series did not converge for q = " + q + ", z = " + z + ", order " + alpha);
    }

    static void checkMechanism(double q, double z) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
        }
        if (!(z >= 0) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("noise multiplier z must be a finite number >= 0, got " + z);
        }
    }

    static double checkOrder(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("Renyi order must be > 1, got " + order);
        }
        return order;
    }
}
