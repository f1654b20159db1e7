package org.fedmed.data.prep;

import java.util.List;

/**
 * Whether present numeric values are clipped (winsorized) before standardization, and where. {@link AtQuantiles}
 * clips each numeric column to its {@code lower} and {@code upper} quantiles of the training rows: under
 * {@link StatsMode#FEDERATED} read from the sites' merged histograms (each bound within one bin width of the pooled
 * quantile), under {@link StatsMode#PER_SITE} exact, from the site's own training rows. The means and standard
 * deviations used for imputation and standardization are then those of the clipped values.
 */
public sealed interface Clipping {

    /** No clipping. */
    Clipping NONE = new None();

    /** No clipping. */
    record None() implements Clipping {
    }

    /** Clipping at two quantiles, {@code 0 <= lower < upper <= 1}. */
    record AtQuantiles(double lower, double upper) implements Clipping {
        public AtQuantiles {
            if (!(lower >= 0 && lower < upper && upper <= 1)) {
                throw new IllegalArgumentException("config key 'clip_quantiles' needs two quantiles with 0 <= lower < upper"
                        + " <= 1, got [" + lower + ", " + upper + "]");
            }
        }
    }

    /**
     * The clipping a config list names: absent or empty means none, two numbers mean {@link AtQuantiles}.
     *
     * @throws IllegalArgumentException naming {@code clip_quantiles} when the list does not hold two valid quantiles
     */
    static Clipping fromKey(List<Double> quantiles) {
        if (quantiles == null || quantiles.isEmpty()) {
            return NONE;
        }
        if (quantiles.size() != 2 || quantiles.get(0) == null || quantiles.get(1) == null) {
            throw new IllegalArgumentException("config key 'clip_quantiles' needs two quantiles [lower, upper], got "
                    + quantiles);
        }
        return new AtQuantiles(quantiles.get(0), quantiles.get(1));
    }
}
