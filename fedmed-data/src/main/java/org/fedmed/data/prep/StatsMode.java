package org.fedmed.data.prep;

/** Where the preprocessing statistics (means, variances, medians) come from. */
public enum StatsMode {
    /** Each site uses statistics of its own training rows only. */
    PER_SITE,
    /**
     * All sites use the same global statistics, merged from per-site aggregates (counts, sums, sums of
     * squared deviations, histograms); no row leaves its site.
     */
    FEDERATED
}
