package org.fedmed.data.partition;

import java.util.random.RandomGenerator;

/**
 * Samplers for the Gamma and symmetric Dirichlet distributions, driven by a caller's seeded generator.
 * Gamma uses Marsaglia and Tsang's squeeze method (2000), with the boost {@code G(a) = G(a+1) U^(1/a)} for
 * shape below 1.
 */
public final class Dirichlet {

    private Dirichlet() {
    }

    /** A Gamma(shape, 1) variate; shape must be finite and positive. */
    public static double gamma(RandomGenerator rng, double shape) {
        if (!(shape > 0) || !Double.isFinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be finite and > 0, got " + shape);
        }
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) {
                return d * v;
            }
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A draw from the symmetric Dirichlet(alpha, ..., alpha) over {@code k} components; sums to 1. */
    public static double[] sample(RandomGenerator rng, double alpha, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("dirichlet needs k >= 1 components, got " + k);
        }
        while (true) {
            double[] p = new double[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                p[i] = gamma(rng, alpha);
                sum += p[i];
            }
            if (sum > 0 && Double.isFinite(sum)) {
                for (int i = 0; i < k; i++) {
                    p[i] /= sum;
                }
                return p;
            }
        }
    }

    /**
     * Splits {@code n} items by proportions: item counts from cut points {@code floor(n * cumulative p)},
     * the last cut at exactly n. The counts sum to n.
     */
    static int[] counts(double[] p, int n) {
        int[] counts = new int[p.length];
        double cumulative = 0;
        int previous = 0;
        for (int i = 0; i < p.length; i++) {
            cumulative += p[i];
            int cut = i == p.length - 1 ? n : Math.min(n, (int) Math.floor(cumulative * n));
            counts[i] = Math.max(0, cut - previous);
            previous = Math.max(previous, cut);
        }
        return counts;
    }
}
