package org.fedmed.data.prep;

/**
 * How raw tables become model inputs: the missing-value policy and, for {@link MissingPolicy#CONSTANT}, its
 * constants; whether to add a {@code <col>_missing} indicator column per feature that may be missing; how
 * categorical columns are one-hot encoded; whether to z-score numeric columns and with which standard deviation;
 * whether to clip extreme values first; where the statistics come from; and the number of histogram bins behind a
 * federated median or quantile. {@link #defaults()} is the behaviour fedmed always had.
 */
public record PreprocessOptions(MissingPolicy missing, ConstantFill fill, boolean indicators, OneHot oneHot,
                                boolean standardize, StandardDeviation sd, Clipping clip, StatsMode stats,
                                int histogramBins) {

    /** Bins of the shared histogram behind a federated median or clipping quantile. */
    public static final int DEFAULT_BINS = 1024;

    public PreprocessOptions {
        if (missing == null) {
            throw new IllegalArgumentException("preprocess option 'missing' is required");
        }
        if (fill == null || oneHot == null || sd == null || clip == null) {
            throw new IllegalArgumentException("preprocess options 'fill', 'oneHot', 'sd' and 'clip' are required");
        }
        if (missing == MissingPolicy.CONSTANT && fill.isEmpty()) {
            throw new IllegalArgumentException("config key 'missing' is constant but key 'fill' gives no value;"
                    + " set fill: <number>, or fill: {<column>: <number>, ...}");
        }
        if (missing != MissingPolicy.CONSTANT && !fill.isEmpty()) {
            throw new IllegalArgumentException("config key 'fill' is only used with missing: constant, but missing is "
                    + missing.key());
        }
        if (stats == null) {
            throw new IllegalArgumentException("preprocess option 'stats' is required");
        }
        if (histogramBins < 2) {
            throw new IllegalArgumentException("preprocess option 'histogramBins' must be >= 2, got " + histogramBins);
        }
    }

    /** Options with full one-hot encoding, population standard deviation, no clipping and no constants. */
    public PreprocessOptions(MissingPolicy missing, boolean indicators, boolean standardize, StatsMode stats,
                             int histogramBins) {
        this(missing, ConstantFill.NONE, indicators, OneHot.FULL, standardize, StandardDeviation.POPULATION,
                Clipping.NONE, stats, histogramBins);
    }

    /**
     * Mean imputation with indicators, full one-hot encoding, standardization with the population standard
     * deviation, no clipping, federated statistics.
     */
    public static PreprocessOptions defaults() {
        return new PreprocessOptions(MissingPolicy.MEAN, true, true, StatsMode.FEDERATED, DEFAULT_BINS);
    }

    /** These options with another missing-value policy (not {@link MissingPolicy#CONSTANT}: see {@link #withFill}). */
    public PreprocessOptions withMissing(MissingPolicy policy) {
        return new PreprocessOptions(policy, ConstantFill.NONE, indicators, oneHot, standardize, sd, clip, stats, histogramBins);
    }

    /** These options imputing the given constants ({@link MissingPolicy#CONSTANT}). */
    public PreprocessOptions withFill(ConstantFill constants) {
        return new PreprocessOptions(MissingPolicy.CONSTANT, constants, indicators, oneHot, standardize, sd, clip, stats,
                histogramBins);
    }

    /** These options with indicators switched on or off. */
    public PreprocessOptions withIndicators(boolean on) {
        return new PreprocessOptions(missing, fill, on, oneHot, standardize, sd, clip, stats, histogramBins);
    }

    /** These options with another one-hot mode. */
    public PreprocessOptions withOneHot(OneHot mode) {
        return new PreprocessOptions(missing, fill, indicators, mode, standardize, sd, clip, stats, histogramBins);
    }

    /** These options with standardization switched on or off. */
    public PreprocessOptions withStandardize(boolean on) {
        return new PreprocessOptions(missing, fill, indicators, oneHot, on, sd, clip, stats, histogramBins);
    }

    /** These options with another standard deviation for standardization. */
    public PreprocessOptions withSd(StandardDeviation kind) {
        return new PreprocessOptions(missing, fill, indicators, oneHot, standardize, kind, clip, stats, histogramBins);
    }

    /** These options with another clipping. */
    public PreprocessOptions withClip(Clipping clipping) {
        return new PreprocessOptions(missing, fill, indicators, oneHot, standardize, sd, clipping, stats, histogramBins);
    }

    /** These options with another statistics mode. */
    public PreprocessOptions withStats(StatsMode mode) {
        return new PreprocessOptions(missing, fill, indicators, oneHot, standardize, sd, clip, mode, histogramBins);
    }

    /** These options with another number of histogram bins. */
    public PreprocessOptions withHistogramBins(int bins) {
        return new PreprocessOptions(missing, fill, indicators, oneHot, standardize, sd, clip, stats, bins);
    }
}
