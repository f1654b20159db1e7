package org.fedmed.secagg;

/** Pearson's chi-square goodness-of-fit p-value against a uniform histogram (test support). */
final class ChiSquare {

    private ChiSquare() {
    }

    /** The statistic of {@code counts} against equal expected counts. */
    static double statistic(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double expected = (double) total / counts.length;
        double x = 0;
        for (long c : counts) {
            x += (c - expected) * (c - expected) / expected;
        }
        return x;
    }

    /** P[X >= x] for X chi-square with {@code df} degrees of freedom: the regularized gamma Q(df/2, x/2). */
    static double pValue(double x, int df) {
        double a = df / 2.0;
        double z = x / 2.0;
        if (z <= 0) {
            return 1;
        }
        return z < a + 1 ? 1 - lowerSeries(a, z) : upperContinuedFraction(a, z);
    }

    /** ln Gamma(a) for a a positive multiple of 1/2, exactly from the recurrence. */
    static double logGammaHalfInteger(double a) {
        double acc = (a == Math.rint(a)) ? 0 : 0.5 * Math.log(Math.PI);
        for (double k = (a == Math.rint(a)) ? 1 : 0.5; k < a - 1e-9; k += 1) {
            acc += Math.log(k);
        }
        return acc;
    }

    private static double lowerSeries(double a, double z) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < 10_000; n++) {
            term *= z / (a + n);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        return Math.exp(-z + a * Math.log(z) - logGammaHalfInteger(a)) * sum;
    }

    private static double upperContinuedFraction(double a, double z) {
        // Lentz's method for the continued fraction of Gamma(a, z).
        double tiny = 1e-300;
        double b = z + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-z + a * Math.log(z) - logGammaHalfInteger(a)) * h;
    }
}
