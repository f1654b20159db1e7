package org.fedmed.core.strategy;

/**
 * How far any one site can move a round, whatever it claims. A site's aggregation weight (its claimed example
 * count, or count times quality) is capped so that no site holds more than {@code maxSiteWeightShare} of a round's
 * total weight (see {@link WeightCaps}); and a site may not raise the example count it claims during a run by more
 * than {@code maxCountGrowth} times the count it committed to with its first result of the run: a larger claim is
 * rejected, with its update and metrics. The same limits apply to the means of the sites' reported metrics, so the
 * figures a round reports do not rest on claimed counts alone. And an update whose delta from the round's global
 * model has L2 norm above {@code maxUpdateNorm} is refused by the round's {@link UpdateIntake}, in a simulation
 * and on a deployment server alike (where the transport refuses it while it arrives).
 *
 * @param maxSiteWeightShare the largest share of a round's total weight one site may hold, in (0, 1]; 1 turns the
 *                           cap off. With n sites in a round the cap is never below 1/n (at 1/n all weigh the same)
 * @param maxCountGrowth     the factor, at least 1, by which a site's claimed count may exceed its commitment;
 *                           {@code Double.POSITIVE_INFINITY} turns the check off
 * @param maxUpdateNorm      the largest L2 norm of an update's delta from the global model, positive;
 *                           {@code Double.POSITIVE_INFINITY} turns the check off
 */
public record InfluenceLimits(double maxSiteWeightShare, double maxCountGrowth, double maxUpdateNorm) {

    /** No bound: weights are the claimed counts, as plain FedAvg has them. */
    public static final InfluenceLimits NONE = new InfluenceLimits(1.0, Double.POSITIVE_INFINITY);

    /** The defaults of a consortium: no site above half a round's weight, counts at most doubled during a run. */
    public static final InfluenceLimits DEFAULTS = new InfluenceLimits(0.5, 2.0);

    /** Limits without a bound on an update's norm. */
    public InfluenceLimits(double maxSiteWeightShare, double maxCountGrowth) {
        this(maxSiteWeightShare, maxCountGrowth, Double.POSITIVE_INFINITY);
    }

    public InfluenceLimits {
        if (!(maxSiteWeightShare > 0 && maxSiteWeightShare <= 1)) {
            throw new IllegalArgumentException("max_site_weight_share must be in (0, 1], got " + maxSiteWeightShare);
        }
        if (!(maxCountGrowth >= 1)) {
            throw new IllegalArgumentException("max_count_growth must be >= 1 (or infinite to turn it off), got "
                    + maxCountGrowth);
        }
        if (!(maxUpdateNorm > 0)) {
            throw new IllegalArgumentException("max_update_norm must be positive (or infinite to turn it off), got "
                    + maxUpdateNorm);
        }
    }

    /** Whether the share cap can bind. */
    public boolean capsShares() {
        return maxSiteWeightShare < 1;
    }
}
