package org.fedmed.data.stats;

import java.util.SplittableRandom;

/**
 * The Gaussian mechanism on the counts a site releases in analytics. One training row adds 1 to exactly one cell of
 * each released count table: the row count, the label's class counts, each feature column's present-or-missing pair,
 * and the cross-tabulation; so with {@code tables} tables, adding or removing one row moves the vector of released
 * counts by L2 sensitivity {@code sqrt(tables)}. Noise {@code N(0, sigma^2)} with
 * {@code sigma = sqrt(2 ln(1.25 / delta)) * sensitivity / epsilon} makes the site's release (epsilon, delta)-DP with
 * respect to its own rows (Dwork and Roth, Theorem A.1, which needs epsilon < 1); noisy counts are rounded and
 * clamped at 0, which is post-processing and costs nothing. Sites hold disjoint rows, so the pooled counts cost the
 * same epsilon (parallel composition). Means, standard deviations and quantiles are not released when noise is on:
 * they are not protected by it.
 *
 * @param epsilon in (0, 1)
 * @param delta   in (0, 1)
 * @param seed    seed of the noise; each site draws from its own stream of it
 */
public record GaussianCountNoise(double epsilon, double delta, long seed) {

    public GaussianCountNoise {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("noise field 'epsilon' must lie in (0, 1) for the Gaussian mechanism's"
                    + " bound, got " + epsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("noise field 'delta' must lie in (0, 1), got " + delta);
        }
    }

    /** The noise's standard deviation for a release of {@code tables} count tables. */
    public double sigma(int tables) {
        return Math.sqrt(2 * Math.log(1.25 / delta)) * Math.sqrt(tables) / epsilon;
    }

    /** {@code count} plus rounded noise of standard deviation {@code sigma}, at least 0. */
    public static long noisy(long count, double sigma, SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return Math.max(0, Math.round(count + sigma * z));
    }

    /**
     * The noise stream of one site: a function of the seed and the site's id only (the named stream
     * {@link org.fedmed.core.Seeds.Stream#ANALYTICS_NOISE}), so a deployed site draws what the same site draws in
     * process.
     */
    public SplittableRandom streamFor(String siteId) {
        return new SplittableRandom(org.fedmed.core.Seeds.ofSite(seed, org.fedmed.core.Seeds.Stream.ANALYTICS_NOISE,
                siteId));
    }
}
