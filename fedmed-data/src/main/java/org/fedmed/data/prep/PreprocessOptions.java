package org.fedmed.data.prep;

/**
 * How raw tables become model inputs: the missing-value policy, whether to add a {@code <col>_missing}
 * indicator column per feature that may be missing, whether to z-score numeric columns, where the
 * statistics come from, and the number of histogram bins used for a federated median.
 */
public record PreprocessOptions(MissingPolicy missing, boolean indicators, boolean standardize, StatsMode stats,
                                int histogramBins) {

    /** Bins of the shared histogram behind a federated median. */
    public static final int DEFAULT_BINS = 1024;

    public PreprocessOptions {
        if (missing == null) {
            throw new IllegalArgumentException("preprocess option 'missing' is required");
        }
        if (stats == null) {
            throw new IllegalArgumentException("preprocess option 'stats' is required");
        }
        if (histogramBins < 2) {
            throw new IllegalArgumentException("preprocess option 'histogramBins' must be >= 2, got " + histogramBins);
        }
    }

    /** Mean imputation with indicators, standardization, federated statistics. */
    public static PreprocessOptions defaults() {
        return new PreprocessOptions(MissingPolicy.MEAN, true, true, StatsMode.FEDERATED, DEFAULT_BINS);
    }

    /** These options with another missing-value policy. */
    public PreprocessOptions withMissing(MissingPolicy policy) {
        return new PreprocessOptions(policy, indicators, standardize, stats, histogramBins);
    }

    /** These options with indicators switched on or off. */
    public PreprocessOptions withIndicators(boolean on) {
        return new PreprocessOptions(missing, on, standardize, stats, histogramBins);
    }

    /** These options with standardization switched on or off. */
    public PreprocessOptions withStandardize(boolean on) {
        return new PreprocessOptions(missing, indicators, on, stats, histogramBins);
    }

    /** These options with another statistics mode. */
    public PreprocessOptions withStats(StatsMode mode) {
        return new PreprocessOptions(missing, indicators, standardize, mode, histogramBins);
    }
}
