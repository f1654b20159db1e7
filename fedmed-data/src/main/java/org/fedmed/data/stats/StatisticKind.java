package org.fedmed.data.stats;

/**
 * The closed set of statistics a server may ask a site for. A request names kinds from this set and nothing else:
 * no request carries code or a query the site would evaluate, so a site computes only these fixed summaries of its
 * own training rows.
 */
public enum StatisticKind {
    /**
     * Per feature column: the number of present and missing values, their sum, sum of squared deviations, minimum
     * and maximum (see {@link org.fedmed.data.prep.ColumnMoments}). For preprocessing; sent to the server only.
     */
    MOMENTS,
    /**
     * Per feature column: counts in equal-width bins over ranges the server sends (the merged minimum and maximum).
     * For a federated median or quantiles; sent to the server only.
     */
    HISTOGRAMS,
    /**
     * What analytics releases: per-column present and missing counts, means and standard deviations, the label's
     * class counts and a cross-tabulation of one categorical column by the label, every count below the site's k
     * suppressed by the site before it is sent.
     */
    RELEASED_COUNTS
}
