package org.fedmed.data.survival;

/**
 * The two distribution functions the survival analyses need, to near double precision: the upper tail of the
 * chi-square distribution with one degree of freedom, and the standard normal quantile.
 */
final class Distributions {

    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double EPS = 1e-16;
    private static final double TINY = 1e-300;

    private Distributions() {
    }

    /** P(X > x) for X chi-square with 1 degree of freedom: Q(1/2, x/2), the regularized upper gamma function. */
    static double chiSquare1Survival(double x) {
        if (!(x > 0)) {
            return 1;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return upperGammaHalf(x / 2);
    }

    /** erfc(y) = Q(1/2, y^2) for y >= 0, and 2 - erfc(-y) below. */
    static double erfc(double y) {
        if (y < 0) {
            return 2 - erfc(-y);
        }
        return y == 0 ? 1 : upperGammaHalf(y * y);
    }

    /** Q(1/2, x) for x > 0: one minus the series of P below 1.5, Lentz's continued fraction above. */
    private static double upperGammaHalf(double x) {
        double prefactor = Math.exp(-x + 0.5 * Math.log(x) - LOG_SQRT_PI);
        if (x < 1.5) {
            double ap = 0.5;
            double del = 1 / ap;
            double sum = del;
            for (int i = 0; i < 10_000; i++) {
                ap += 1;
                del *= x / ap;
                sum += del;
                if (Math.abs(del) < Math.abs(sum) * EPS) {
                    return 1 - sum * prefactor;
                }
            }
            throw new ArithmeticException("gamma series did not converge at x = " + x);
        }
        double b = x + 0.5;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - 0.5);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < TINY ? TINY : d;
            c = b + an / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                return prefactor * h;
            }
        }
        throw new ArithmeticException("gamma continued fraction did not converge at x = " + x);
    }

    /**
     * The standard normal quantile: Acklam's rational approximation (relative error below 1.2e-9) refined by one
     * Halley step on the exact CDF.
     */
    static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a normal quantile needs 0 < p < 1, got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - 0.02425) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = 0.5 * erfc(-x / Math.sqrt(2)) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
