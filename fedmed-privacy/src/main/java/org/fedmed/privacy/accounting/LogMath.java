package org.fedmed.privacy.accounting;

/**
 * Arithmetic on numbers held as their natural logarithm, and the logarithm of the complementary error
 * function, accurate in the far tail where {@code erfc} itself underflows. Zero is {@code -Infinity}.
 */
final class LogMath {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double TINY = 1e-300;
    private static final double RELATIVE_EPS = 1e-16;
    private static final int MAX_ITERATIONS = 10_000;

    private LogMath() {
    }

    /** log(exp(a) + exp(b)). */
    static double logAdd(double a, double b) {
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        if (lo == Double.NEGATIVE_INFINITY) {
            return hi;
        }
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /**
     * log(exp(a) - exp(b)) for a >= b.
     *
     * @throws ArithmeticException if b > a, since the difference would be negative
     */
    static double logSub(double a, double b) {
        if (b > a) {
            throw new ArithmeticException("log-space subtraction would be negative: log x = " + a + " < log y = " + b);
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + Math.log1p(-Math.exp(b - a));
    }

    /** log(erfc(x)), with full relative accuracy for large positive x (where erfc(x) underflows to 0). */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            // erfc(x) = 2 - erfc(-x), which lies in (1, 2]: no tail to protect.
            return Math.log(2 - Math.exp(logErfc(-x)));
        }
        double y = x * x;
        if (y < 1.5) {
            // erfc(x) = 1 - erf(x) = 1 - P(1/2, x^2), P the regularized lower incomplete gamma function.
            return Math.log1p(-lowerGammaHalfSeries(y));
        }
        // erfc(x) = Q(1/2, x^2), Q the regularized upper incomplete gamma function, in log space.
        return logUpperGammaHalfContinuedFraction(y);
    }

    /** P(1/2, y) by its power series, for small y. */
    private static double lowerGammaHalfSeries(double y) {
        if (y == 0) {
            return 0;
        }
        double a = 0.5;
        double term = 1 / a;
        double sum = term;
        double ap = a;
        for (int n = 0; n < MAX_ITERATIONS; n++) {
            ap += 1;
            term *= y / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * RELATIVE_EPS) {
                return sum * Math.exp(-y + a * Math.log(y) - LOG_SQRT_PI);
            }
        }
        throw new ArithmeticException("erfc series did not converge at x^2 = " + y);
    }

    /** log Q(1/2, y) by its continued fraction (modified Lentz evaluation), for y >= 1.5. */
    private static double logUpperGammaHalfContinuedFraction(double y) {
        double a = 0.5;
        double b = y + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = b + an / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < RELATIVE_EPS) {
                return -y + a * Math.log(y) - LOG_SQRT_PI + Math.log(h);
            }
        }
        throw new ArithmeticException("erfc continued fraction did not converge at x^2 = " + y);
    }
}
