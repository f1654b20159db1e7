package org.fedmed.core.strategy;

import java.util.Arrays;

/**
 * The share cap of {@link InfluenceLimits}: given the weights of a round's sites and a largest share s, the
 * weights to use instead, such that no site holds more than s' = max(s, 1/n) of their total, sites under the cap
 * keep their weight, and capped sites all get the same weight c. This is water-filling: c is the one value with
 * {@code c = s' * (k c + R)}, where k sites are capped and R is the total of the others, so
 * {@code c = s' R / (1 - k s')}; the capped sites are the k heaviest. At most {@link #mostCapped(double)} sites
 * are ever capped, which is what lets a streaming aggregator hold only that many updates aside.
 */
public final class WeightCaps {

    /** A site whose weight was capped in a round: what its weight would have been, and what it was. */
    public record Capped(String siteId, double weight, double cappedWeight, double share) {
    }

    private WeightCaps() {
    }

    /** The most sites that can be capped under share s: ceil(1/s) - 1 (none when s is 1). */
    public static int mostCapped(double maxShare) {
        if (maxShare >= 1) {
            return 0;
        }
        return (int) Math.ceil(1 / maxShare - 1e-12) - 1;
    }

    /**
     * The cap value c for the {@code heaviest} weights (sorted from heaviest down) when the other sites weigh
     * {@code rest} in all and there are {@code sites} sites with positive weight; returns how many of the
     * heaviest are capped in {@code out[0]} and c in {@code out[1]} (c is +infinity when none is).
     *
     * @param heaviest the largest weights, in descending order; every other weight is at most the last of them
     */
    public static void cap(double[] heaviest, double rest, int sites, double maxShare, double[] out) {
        double share = Math.max(maxShare, 1.0 / Math.max(1, sites));
        double[] w = heaviest.clone();
        double restWithHeavy = rest;
        for (double x : w) {
            restWithHeavy += x;
        }
        double uncapped = restWithHeavy;
        for (int k = 0; k <= w.length; k++) {
            double denominator = 1 - k * share;
            double c = denominator <= 0 ? (k > 0 ? w[k - 1] : Double.POSITIVE_INFINITY) : share * uncapped / denominator;
            if (k == w.length || w[k] <= c) {
                out[0] = k;
                out[1] = k == 0 ? Double.POSITIVE_INFINITY : c;
                return;
            }
            uncapped -= w[k];
        }
    }

    /** The capped weights of all sites at once (for metrics and tests); the input is not changed. */
    public static double[] capped(double[] weights, double maxShare) {
        int n = 0;
        for (double x : weights) {
            if (x > 0) {
                n++;
            }
        }
        double[] sorted = weights.clone();
        Arrays.sort(sorted);
        int m = Math.min(mostCapped(maxShare), n);
        double[] heaviest = new double[m];
        double rest = 0;
        for (int i = 0; i < sorted.length; i++) {
            int fromTop = sorted.length - 1 - i;
            if (fromTop < m) {
                heaviest[fromTop] = sorted[i];
            } else {
                rest += sorted[i];
            }
        }
        double[] out = new double[2];
        cap(heaviest, rest, n, maxShare, out);
        double c = out[1];
        double[] result = weights.clone();
        for (int i = 0; i < result.length; i++) {
            result[i] = Math.min(result[i], c);
        }
        return result;
    }
}
