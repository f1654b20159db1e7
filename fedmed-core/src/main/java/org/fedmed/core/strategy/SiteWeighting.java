package org.fedmed.core.strategy;

import org.fedmed.core.FitResult;

/**
 * How much each site's update counts in the average. Weights are normalized across the sites that
 * reported in a round, so only their ratios matter.
 */
public enum SiteWeighting {
    /** FedAvg: weight n_k, the number of training examples. */
    SAMPLE_COUNT("fedavg"),
    /** Uniform mean: every reporting site counts the same. */
    UNIFORM("uniform"),
    /** Data size times the site's reported quality score (e.g. share of non-missing values). */
    QUALITY("quality");

    private final String strategyName;

    SiteWeighting(String strategyName) {
        this.strategyName = strategyName;
    }

    /** The name the strategy goes by in configs and reports. */
    public String strategyName() {
        return strategyName;
    }

    public double weight(FitResult r) {
        return switch (this) {
            case SAMPLE_COUNT -> r.numExamples();
            case UNIFORM -> 1.0;
            case QUALITY -> r.numExamples() * r.quality();
        };
    }

    /** Looks a weighting up by its strategy name; the error lists the names that exist. */
    public static SiteWeighting byStrategyName(String name) {
        for (SiteWeighting w : values()) {
            if (w.strategyName.equalsIgnoreCase(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "' (known: fedavg, uniform, quality)");
    }
}
