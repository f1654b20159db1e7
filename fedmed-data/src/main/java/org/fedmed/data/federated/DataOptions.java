package org.fedmed.data.federated;

import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StatsMode;

/**
 * How to turn a registered dataset into a federation. {@code sites}, {@code partitioner} and {@code alpha}
 * apply only to datasets without natural sites. {@code testFraction} of each site's rows (stratified) is
 * held out for testing. Preprocessing follows {@code missingPolicy}, {@code missingIndicators},
 * {@code standardize} and {@code statsMode}. Every random choice derives from {@code seed}. See
 * {@link #defaults(String)} for the defaults.
 */
public record DataOptions(String dataset, int sites, PartitionerKind partitioner, double alpha, double testFraction,
                          MissingPolicy missingPolicy, boolean missingIndicators, boolean standardize,
                          StatsMode statsMode, long seed) {

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
        if (missingPolicy == null) {
            throw new IllegalArgumentException("data option 'missingPolicy' is required");
        }
        if (statsMode == null) {
            throw new IllegalArgumentException("data option 'statsMode' is required");
        }
    }

    /**
     * Defaults: 4 sites, IID partition, alpha 0.5, test fraction 0.25, MEAN imputation with missing
     * indicators, standardization on, FEDERATED statistics, seed 42.
     */
    public static DataOptions defaults(String dataset) {
        return new DataOptions(dataset, DEFAULT_SITES, PartitionerKind.IID, DEFAULT_ALPHA, DEFAULT_TEST_FRACTION,
                MissingPolicy.MEAN, true, true, StatsMode.FEDERATED, DEFAULT_SEED);
    }

    /** These options with another number of simulated sites. */
    public DataOptions withSites(int n) {
        return new DataOptions(dataset, n, partitioner, alpha, testFraction, missingPolicy, missingIndicators, standardize, statsMode, seed);
    }

    /** These options with another partitioner and concentration. */
    public DataOptions withPartitioner(PartitionerKind kind, double a) {
        return new DataOptions(dataset, sites, kind, a, testFraction, missingPolicy, missingIndicators, standardize, statsMode, seed);
    }

    /** These options with another held-out share. */
    public DataOptions withTestFraction(double fraction) {
        return new DataOptions(dataset, sites, partitioner, alpha, fraction, missingPolicy, missingIndicators, standardize, statsMode, seed);
    }

    /** These options with another missing-value policy and indicator setting. */
    public DataOptions withMissing(MissingPolicy policy, boolean indicators) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, policy, indicators, standardize, statsMode, seed);
    }

    /** These options with standardization switched on or off. */
    public DataOptions withStandardize(boolean on) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, missingPolicy, missingIndicators, on, statsMode, seed);
    }

    /** These options with another statistics mode. */
    public DataOptions withStatsMode(StatsMode mode) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, missingPolicy, missingIndicators, standardize, mode, seed);
    }

    /** These options with another seed. */
    public DataOptions withSeed(long s) {
        return new DataOptions(dataset, sites, partitioner, alpha, testFraction, missingPolicy, missingIndicators, standardize, statsMode, s);
    }

    /** The preprocessing part of these options. */
    public PreprocessOptions preprocessing() {
        return new PreprocessOptions(missingPolicy, missingIndicators, standardize, statsMode, PreprocessOptions.DEFAULT_BINS);
    }
}
