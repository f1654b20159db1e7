package org.fedmed.deploy.site;

import java.nio.file.Path;
import java.util.Optional;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;

/**
 * The {@code data} section of a site's config: which registered dataset, or which dataset definition file, the
 * site's data follow, where the CSV is, and how the site splits and preprocesses it. By default (as in
 * {@code simulate}) the site builds its preprocessing from statistics merged over the federation
 * ({@link StatsMode#FEDERATED}, received in the statistics exchange before round 1) and adds a missing-value
 * indicator column for each feature missing at any site; with {@code stats: per_site} and
 * {@code missing_indicators: false} it needs nobody else's statistics.
 *
 * @param dataset      registry name (or alias) of the dataset whose schema the CSV follows; null when
 *                     {@code definition} is given
 * @param csv          the site's CSV file, absolute; null means the dataset's own file(s) of this site: a built-in
 *                     dataset's natural-site file found through the dataset registry, or the files the definition
 *                     names for site {@code site}
 * @param testFraction share of the rows held out for evaluation, in (0, 1)
 * @param missing      what preprocessing does with missing values
 * @param standardize  whether numeric columns are standardized with the site's training statistics
 * @param seed         seed of the site's stratified train/test split
 * @param fill         the constants {@code missing: constant} imputes ({@code data.fill})
 * @param oneHot       how categorical columns are one-hot encoded ({@code data.one_hot}); it must match the
 *                     server's {@code training.one_hot}, which sizes the model
 * @param sd           the standard deviation standardization divides by ({@code data.sd})
 * @param clip         clipping of numeric values at the site's own training quantiles ({@code data.clip_quantiles})
 * @param minRows      the fewest rows any number the site sends may rest on: a site whose training or test split is
 *                     smaller is refused at start, and it never answers a task on fewer rows (default
 *                     {@value #DEFAULT_MIN_ROWS}; the server applies its own {@code min_rows} too)
 * @param definition   a dataset definition file (absolute), read at start, in place of {@code dataset}; null for a
 *                     registered dataset
 * @param site         which of the definition's sites this site's rows are; null means the kit's site id
 * @param stats        where the preprocessing statistics come from: merged over the federation, or the site's own
 * @param missingIndicators whether a {@code <col>_missing} column is added for each feature missing at any site
 * @param minCell      the site's k: the smallest count it releases (default {@value #DEFAULT_MIN_CELL}; in analytics
 *                     the larger of the server's and the site's k applies to this site's cells)
 */
public record DataSettings(String dataset, Path csv, double testFraction, MissingPolicy missing, boolean standardize,
                           long seed, long minRows, ConstantFill fill, OneHot oneHot, StandardDeviation sd,
                           Clipping clip, Path definition, String site, StatsMode stats, boolean missingIndicators,
                           long minCell) {

    /** Default k of small-cell suppression. */
    public static final long DEFAULT_MIN_CELL = 5;

    /** Default smallest cohort, the server's default too. */
    public static final long DEFAULT_MIN_ROWS = 10;

    /** Default held-out share. */
    public static final double DEFAULT_TEST_FRACTION = DataOptions.DEFAULT_TEST_FRACTION;
    /** Default missing-value policy. */
    public static final MissingPolicy DEFAULT_MISSING = MissingPolicy.MEAN;
    /** Default split seed. */
    public static final long DEFAULT_SEED = DataOptions.DEFAULT_SEED;

    public DataSettings {
        if ((dataset == null || dataset.isBlank()) == (definition == null)) {
            throw new IllegalArgumentException("data needs exactly one of 'dataset' (a registered dataset) or 'definition'"
                    + " (a dataset definition file)");
        }
        if (site != null && (definition == null || site.isBlank())) {
            throw new IllegalArgumentException("data.site names one of the sites of data.definition; it needs 'definition'"
                    + " and must not be blank");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("data.test_fraction must lie in (0, 1), got " + testFraction);
        }
        if (missing == null) {
            throw new IllegalArgumentException("data.missing is required (drop, mean, median)");
        }
        if (minRows < 1) {
            throw new IllegalArgumentException("data.min_rows must be >= 1, got " + minRows);
        }
        if (fill == null || oneHot == null || sd == null || clip == null) {
            throw new IllegalArgumentException("data.fill, data.one_hot, data.sd and data.clip_quantiles are required");
        }
        if (stats == null) {
            throw new IllegalArgumentException("data.stats is required (federated, per_site)");
        }
        if (minCell < 1) {
            throw new IllegalArgumentException("data.k must be >= 1, got " + minCell);
        }
        try {
            new PreprocessOptions(missing, fill, missingIndicators, oneHot, standardize, sd, clip, stats,
                    PreprocessOptions.DEFAULT_BINS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("key '", "key 'data."), e);
        }
    }

    /**
     * Settings with per-site statistics and no indicator columns (a site that needs nobody else's statistics) and
     * the default k.
     */
    public DataSettings(String dataset, Path csv, double testFraction, MissingPolicy missing, boolean standardize,
                        long seed, long minRows, ConstantFill fill, OneHot oneHot, StandardDeviation sd, Clipping clip,
                        Path definition, String site) {
        this(dataset, csv, testFraction, missing, standardize, seed, minRows, fill, oneHot, sd, clip, definition, site,
                StatsMode.PER_SITE, false, DEFAULT_MIN_CELL);
    }

    /** Settings of a registered dataset, with per-site statistics, no indicator columns and the default k. */
    public DataSettings(String dataset, Path csv, double testFraction, MissingPolicy missing, boolean standardize,
                        long seed, long minRows, ConstantFill fill, OneHot oneHot, StandardDeviation sd, Clipping clip) {
        this(dataset, csv, testFraction, missing, standardize, seed, minRows, fill, oneHot, sd, clip, null, null);
    }

    /** Settings with full one-hot encoding, the population standard deviation, no clipping and no constants. */
    public DataSettings(String dataset, Path csv, double testFraction, MissingPolicy missing, boolean standardize,
                        long seed, long minRows) {
        this(dataset, csv, testFraction, missing, standardize, seed, minRows, ConstantFill.NONE, OneHot.FULL,
                StandardDeviation.POPULATION, Clipping.NONE);
    }

    /** As the previous constructor, for a definition file {@code definition} and its site {@code site}. */
    public DataSettings(Path definition, String site, Path csv, double testFraction, MissingPolicy missing,
                        boolean standardize, long seed, long minRows) {
        this(null, csv, testFraction, missing, standardize, seed, minRows, ConstantFill.NONE, OneHot.FULL,
                StandardDeviation.POPULATION, Clipping.NONE, definition, site);
    }

    /** Settings of a registered dataset with the default {@code min_rows}. */
    public DataSettings(String dataset, Path csv, double testFraction, MissingPolicy missing, boolean standardize,
                        long seed) {
        this(dataset, csv, testFraction, missing, standardize, seed, DEFAULT_MIN_ROWS);
    }

    /** The dataset definition file, when the config names one. */
    public Optional<Path> definitionFile() {
        return Optional.ofNullable(definition);
    }

    /** The site's own CSV file, when the config names one. */
    public Optional<Path> csvFile() {
        return Optional.ofNullable(csv);
    }

    /** Whether the site needs the federation's merged statistics to prepare its data. */
    public boolean needsMergedStatistics() {
        return stats == StatsMode.FEDERATED || missingIndicators;
    }

    /**
     * The simulation's options that prepare a site's rows exactly as this site prepares its own: these statistics
     * and indicator settings, this split seed and held-out share, this imputation, encoding, standardization and
     * clipping.
     */
    public DataOptions options() {
        return new DataOptions(definition != null ? definition.toString() : dataset, 1, PartitionerKind.IID,
                DataOptions.DEFAULT_ALPHA, testFraction, new PreprocessOptions(missing, fill, missingIndicators, oneHot,
                standardize, sd, clip, stats, PreprocessOptions.DEFAULT_BINS), seed);
    }
}
