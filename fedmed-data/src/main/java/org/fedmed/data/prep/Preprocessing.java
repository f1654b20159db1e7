package org.fedmed.data.prep;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * Fits one {@link Preprocessor} per site from the sites' training tables. Statistics are the sites'
 * own ({@link StatsMode#PER_SITE}) or global ones merged from per-site aggregates
 * ({@link StatsMode#FEDERATED}, see {@link FederatedStatistics}). Either way the output columns are the
 * same at every site: a feature gets an indicator column when indicators are on, the policy imputes, and
 * the feature is missing in some site's training rows or its schema asks for one (deciding this needs only
 * each site's missing count).
 *
 * <p>The federated fit takes up to three exchanges of aggregates: moments of the raw values (counts, ranges,
 * missing counts); histograms over the merged ranges, when a median or clipping quantiles are needed; and, when
 * clipping, moments of the values clipped at the shared bounds, from which the mean fill, the center and the scale
 * come. A numeric column with no present value (at that site, per-site) is imputed with 0 (or its constant) and
 * left unscaled; a zero-variance column is centred but not scaled.
 */
public final class Preprocessing {

    private Preprocessing() {
    }

    /** Preprocessors for the given training tables, in the same order; all tables must share one schema. */
    public static List<Preprocessor> fit(List<RawTable> trainSites, PreprocessOptions options) {
        if (trainSites.isEmpty()) {
            throw new IllegalArgumentException("no training tables to fit preprocessing on");
        }
        DatasetSchema schema = trainSites.getFirst().schema();
        requireFillCovers(schema, options);
        List<RawTable> sites = new ArrayList<>();
        for (RawTable t : trainSites) {
            if (!t.schema().equals(schema)) {
                throw new IllegalArgumentException("table " + t.source() + " was read with a different schema");
            }
            sites.add(options.missing() == MissingPolicy.DROP ? t.completeRows() : t);
        }
        List<List<ColumnMoments>> local = sites.stream().map(FederatedStatistics::moments).toList();
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(local);
        List<Histogram> histograms = List.of();
        List<ColumnMoments> clipped = List.of();
        if (needsHistograms(options)) {
            histograms = FederatedStatistics.mergeHistograms(sites.stream()
                    .map(t -> FederatedStatistics.histograms(t, global, options.histogramBins())).toList());
            if (needsClippedMoments(options)) {
                double[][] bounds = clipBounds(schema, options, histograms);
                clipped = FederatedStatistics.mergeMoments(sites.stream()
                        .map(t -> FederatedStatistics.clippedMoments(t, bounds)).toList());
            }
        }
        List<Preprocessor> out = new ArrayList<>();
        Preprocessor shared = null;
        for (RawTable t : sites) {
            if (options.stats() == StatsMode.FEDERATED) {
                shared = shared == null ? fromMerged(schema, options, global, histograms, clipped, t) : shared;
                out.add(shared);
            } else {
                out.add(fromMerged(schema, options, global, histograms, clipped, t));
            }
        }
        return out;
    }

    /**
     * Whether a federated fit with {@code options} needs the second exchange, histograms over the merged ranges: a
     * federated median or clipping at federated quantiles does.
     */
    public static boolean needsHistograms(PreprocessOptions options) {
        return options.stats() == StatsMode.FEDERATED
                && (options.missing() == MissingPolicy.MEDIAN || options.clip() instanceof Clipping.AtQuantiles);
    }

    /**
     * Whether a federated fit with {@code options} needs the third exchange, moments of the values clipped at the
     * {@link #clipBounds} of the merged histograms: clipping at federated quantiles does.
     */
    public static boolean needsClippedMoments(PreprocessOptions options) {
        return options.stats() == StatsMode.FEDERATED && options.clip() instanceof Clipping.AtQuantiles;
    }

    /**
     * The clipping bounds of each column, {@code [lower, upper]}, read from the merged histograms when clipping at
     * quantiles (a numeric column with values); infinite otherwise.
     */
    public static double[][] clipBounds(DatasetSchema schema, PreprocessOptions options, List<Histogram> merged) {
        double[][] bounds = noBounds(schema);
        if (options.clip() instanceof Clipping.AtQuantiles q) {
            for (int f = 0; f < merged.size(); f++) {
                if (!schema.features().get(f).categorical() && merged.get(f).total() > 0) {
                    bounds[f] = new double[] {merged.get(f).quantile(q.lower()), merged.get(f).quantile(q.upper())};
                }
            }
        }
        return bounds;
    }

    /**
     * One site's preprocessor from the statistics merged over all sites: the one entry point that simulation
     * ({@link #fit}) and a deployed site share, so both run the same arithmetic. {@code global} are the merged
     * moments (whose missing counts decide the indicator columns); {@code histograms} the merged histograms when
     * {@link #needsHistograms} (empty otherwise); {@code clipped} the merged moments of the clipped values when
     * {@link #needsClippedMoments} (empty otherwise); {@code ownTrain} is the site's own training table, used only
     * under {@link StatsMode#PER_SITE} (with incomplete rows dropped under {@link MissingPolicy#DROP}).
     */
    public static Preprocessor fromMerged(DatasetSchema schema, PreprocessOptions options, List<ColumnMoments> global,
                                          List<Histogram> histograms, List<ColumnMoments> clipped, RawTable ownTrain) {
        if (global.size() != schema.features().size()) {
            throw new IllegalArgumentException("merged statistics hold " + global.size() + " columns, the schema has "
                    + schema.features().size() + " features");
        }
        requireFillCovers(schema, options);
        boolean[] indicator = indicators(schema, global, options);
        if (options.stats() == StatsMode.FEDERATED) {
            if (needsHistograms(options) && histograms.size() != global.size()) {
                throw new IllegalArgumentException("these preprocessing options need merged histograms of all "
                        + global.size() + " columns, got " + histograms.size());
            }
            if (needsClippedMoments(options) && clipped.size() != global.size()) {
                throw new IllegalArgumentException("clipping at quantiles needs the merged clipped moments of all "
                        + global.size() + " columns, got " + clipped.size());
            }
            double[] medians = histograms.isEmpty() ? null
                    : histograms.stream().mapToDouble(h -> h.quantile(0.5)).toArray();
            double[][] bounds = clipBounds(schema, options, histograms);
            return build(schema, options, needsClippedMoments(options) ? clipped : global, medians, bounds, indicator);
        }
        RawTable t = options.missing() == MissingPolicy.DROP ? ownTrain.completeRows() : ownTrain;
        boolean needQuantiles = options.missing() == MissingPolicy.MEDIAN || options.clip() instanceof Clipping.AtQuantiles;
        double[] medians = null;
        double[][] bounds = noBounds(schema);
        List<ColumnMoments> moments = FederatedStatistics.moments(t);
        if (needQuantiles) {
            medians = new double[t.cols()];
            for (int f = 0; f < medians.length; f++) {
                double[] column = t.column(f);
                medians[f] = FederatedStatistics.exactMedian(column);
                if (options.clip() instanceof Clipping.AtQuantiles q && !schema.features().get(f).categorical()
                        && moments.get(f).count() > 0) {
                    bounds[f] = new double[] {FederatedStatistics.exactQuantile(column, q.lower()),
                            FederatedStatistics.exactQuantile(column, q.upper())};
                }
            }
            if (options.clip() instanceof Clipping.AtQuantiles) {
                moments = FederatedStatistics.clippedMoments(t, bounds);
            }
        }
        return build(schema, options, moments, medians, bounds, indicator);
    }

    /**
     * The model inputs a site builds from {@code schema} when no missing-value indicator columns are added: known
     * from the schema alone, with no data. A deployment server sizes the model with it.
     */
    public static List<String> featureNamesWithoutIndicators(DatasetSchema schema) {
        return featureNamesWithoutIndicators(schema, OneHot.FULL);
    }

    /** As {@link #featureNamesWithoutIndicators(DatasetSchema)}, with categorical columns encoded as {@code oneHot} says. */
    public static List<String> featureNamesWithoutIndicators(DatasetSchema schema, OneHot oneHot) {
        List<ColumnTransform> cols = new ArrayList<>();
        for (int f = 0; f < schema.features().size(); f++) {
            cols.add(new ColumnTransform(0, 0, 1, false));
        }
        return new Preprocessor(schema, MissingPolicy.MEAN, oneHot, cols).featureNames();
    }

    private static void requireFillCovers(DatasetSchema schema, PreprocessOptions options) {
        if (options.missing() != MissingPolicy.CONSTANT) {
            return;
        }
        for (String column : options.fill().columns().keySet()) {
            FeatureSpec spec = schema.features().stream().filter(f -> f.name().equals(column)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("config key 'fill." + column + "': no numeric feature"
                            + " column '" + column + "' in the schema (features: " + schema.featureNames() + ")"));
            if (spec.categorical()) {
                throw new IllegalArgumentException("config key 'fill." + column + "': column '" + column + "' is"
                        + " categorical; a missing categorical value is encoded as all zeros, not imputed");
            }
        }
        for (FeatureSpec f : schema.features()) {
            if (!f.categorical() && options.fill().valueFor(f.name()).isEmpty()) {
                throw new IllegalArgumentException("config key 'fill' gives no value for numeric column '" + f.name()
                        + "'; set fill: <number> for every column, or add " + f.name() + ": <number> to fill");
            }
        }
    }

    private static double[][] noBounds(DatasetSchema schema) {
        double[][] bounds = new double[schema.features().size()][];
        for (int f = 0; f < bounds.length; f++) {
            bounds[f] = new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        }
        return bounds;
    }

    private static boolean[] indicators(DatasetSchema schema, List<ColumnMoments> global, PreprocessOptions options) {
        boolean[] on = new boolean[global.size()];
        if (!options.indicators() || options.missing() == MissingPolicy.DROP) {
            return on;
        }
        for (int f = 0; f < on.length; f++) {
            on[f] = global.get(f).missing() > 0 || schema.features().get(f).missingIndicator();
        }
        return on;
    }

    private static Preprocessor build(DatasetSchema schema, PreprocessOptions options, List<ColumnMoments> moments,
                                      double[] medians, double[][] bounds, boolean[] indicator) {
        List<ColumnTransform> cols = new ArrayList<>();
        for (int f = 0; f < moments.size(); f++) {
            FeatureSpec spec = schema.features().get(f);
            ColumnMoments m = moments.get(f);
            if (spec.categorical()) {
                cols.add(new ColumnTransform(Double.NaN, 0, 1, indicator[f]));
                continue;
            }
            boolean observed = m.count() > 0;
            double fill = switch (options.missing()) {
                case DROP -> Double.NaN;
                case MEAN -> observed ? m.mean() : 0.0;
                case MEDIAN -> observed ? medians[f] : 0.0;
                case CONSTANT -> {
                    OptionalDouble c = options.fill().valueFor(spec.name());
                    yield c.orElseThrow();
                }
            };
            double center = 0;
            double scale = 1;
            if (options.standardize() && observed) {
                center = m.mean();
                double sd = options.sd().of(m);
                scale = sd > 0 && Double.isFinite(sd) ? sd : 1;
            }
            cols.add(new ColumnTransform(fill, center, scale, bounds[f][0], bounds[f][1], indicator[f]));
        }
        return new Preprocessor(schema, options.missing(), options.oneHot(), cols);
    }
}
