package org.fedmed.data.federated;

import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StatsMode;

/**
 * How to turn a registered dataset into a federation. {@code sites}, {@code partitioner} and {@code alpha}
 * apply only to datasets without natural sites. {@code testFraction} of each site's rows (stratified) is
 * held out for testing. Preprocessing follows {@code preprocessing} (missing values, indicators, one-hot
 * encoding, standardization, clipping, where the statistics come from). Every random choice derives from
 * {@code seed}. See {@link #defaults(String)} for the defaults.
 */
public record DataOptions(String dataset, int sites, PartitionerKind partitioner, double alpha, double testFraction,
                          PreprocessOptions preprocessing, long seed) {

    /** Default number of simulated sites. */
    public static final int DEFAULT_SITES = 4;
    /** Default Dirichlet concentration. */
    public static final double DEFAULT_ALPHA = 0.5;
    /** Default held-out share per site. */
    public static final double DEFAULT_TEST_FRACTION = 0.25;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42L;

    public DataOptions {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("data option 'dataset' must name a dataset");
        }
        if (sites < 1) {
            throw new IllegalArgumentException("data option 'sites' must be >= 1, got " + sites);
        }
        if (partitioner == null) {
            throw new IllegalArgumentException("data option 'partitioner' is required");
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("data option 'alpha' must be finite and > 0, got " + alpha);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("data option 'testFraction' must lie in [0, 1), got " + testFraction);
        }
        if (preprocessing == null) {
            throw new IllegalArgumentException("data option 'preprocessing' is required");
        }
    }

    /**
     * Options whose preprocessing has full one-hot encoding, the population standard deviation and no clipping, with
     * the given missing-value policy, indicators, standardization and statistics mode.
     */
    public DataOptions(String dataset, int sites, PartitionerKind partitioner, double alpha, double testFraction,
                       MissingPolicy missingPolicy, boolean missingIndicators, boolean standardize,
                       StatsMode statsMode, long seed) {
        this(dataset, sites, partitioner, alpha, testFraction, new PreprocessOptions(required(missingPolicy, "missingPolicy"),
                missingIndicators, standardize, required(statsMode, "statsMode"), PreprocessOptions.DEFAULT_BINS), seed);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("data option '" + field + "' is required");
        }
        return value;
    }

    /**
     * Defaults: 4 sites, IID partition, alpha 0.5, test fraction 0.25, {@link PreprocessOptions#defaults()}
     * (MEAN imputation with missing indicators, standardization on, FEDERATED statistics), seed 42.
     */
    public static DataOptions defaults(String dataset) {
        return new DataOptions(dataset, DEFAULT_SITES, PartitionerKind.IID, DEFAULT_ALPHA, DEFAULT_TEST_FRACTION,
                PreprocessOptions.defaults(), DEFAULT_SEED);
    }

    /** The missing-value policy. */
    public MissingPolicy missingPolicy() {
        return preprocessing.missing();
    }

    /** Whether missing-value indicator columns are added. */
    public boolean missingIndicators() {
        return preprocessing.indicators();
    }

    /** Whether numeric columns are standardized. */
    public boolean standardize() {
        return preprocessing.standardize();
    }

    /** Where the preprocessing statistics come from. */
    public StatsMode statsMode() {
        return preprocessing.stats();
    }

    /** These options with another number of simulated sites. */
    public DataOptions withSites(int n) {
        return new DataOptions(dataset, n, partitioner, alpha, testFraction, preprocessing, seed);
    }

    /** These options with another partitioner and concentration. */
    public DataOptions withPartitioner(PartitionerKind kind, double a) {
        return new DataOptions(dataset, sites, kind, a, testFraction, preprocessing, seed);
    }

    /** These options with another held-out share. */
    public DataOptions withTestFraction(double fraction) {
        return new DataOptions(dataset, sites, partitioner, alpha, fraction, preprocessing, seed);
    }

    /** These options with another missing-value policy and indicator setting. */
    public DataOptions withMissing(MissingPolicy policy, boolean indicators) {
        return withPreprocessing(preprocessing.withMissing(policy).withIndicators(indicators));
    }

    /** These options with standardization switched on or off. */
    public DataOptions withStandardize(boolean on) {
        return withPreprocessing(preprocessing.withStandardize(on));
    }

    /** These options with another statistics mode. */
    public DataOptions withStatsMode(StatsMode mode) {
        return withPreprocessing(preprocessing.withStats(mode));
    }

    /** These options with other preprocessing. */
    public DataOptions withPreprocessing(PreprocessOptions options) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, options, seed);
    }

    /** These options with another seed. */
    public DataOptions withSeed(long s) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, preprocessing, s);
    }
}
