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
        boolean[] indicator = indicators(schema, global, options);
        boolean needQuantiles = options.missing() == MissingPolicy.MEDIAN || options.clip() instanceof Clipping.AtQuantiles;

        List<Preprocessor> out = new ArrayList<>();
        if (options.stats() == StatsMode.FEDERATED) {
            double[] medians = null;
            double[][] bounds = noBounds(schema);
            List<ColumnMoments> moments = global;
            if (needQuantiles) {
                List<List<Histogram>> hists = sites.stream()
                        .map(t -> FederatedStatistics.histograms(t, global, options.histogramBins())).toList();
                List<Histogram> merged = FederatedStatistics.mergeHistograms(hists);
                medians = merged.stream().mapToDouble(h -> h.quantile(0.5)).toArray();
                if (options.clip() instanceof Clipping.AtQuantiles q) {
                    for (int f = 0; f < merged.size(); f++) {
                        if (!schema.features().get(f).categorical() && merged.get(f).total() > 0) {
                            bounds[f] = new double[] {merged.get(f).quantile(q.lower()), merged.get(f).quantile(q.upper())};
                        }
                    }
                    double[][] shared = bounds;
                    moments = FederatedStatistics.mergeMoments(sites.stream()
                            .map(t -> FederatedStatistics.clippedMoments(t, shared)).toList());
                }
            }
            Preprocessor shared = build(schema, options, moments, medians, bounds, indicator);
            for (int i = 0; i < sites.size(); i++) {
                out.add(shared);
            }
        } else {
            for (int s = 0; s < sites.size(); s++) {
                RawTable t = sites.get(s);
                double[] medians = null;
                double[][] bounds = noBounds(schema);
                List<ColumnMoments> moments = local.get(s);
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
                out.add(build(schema, options, moments, medians, bounds, indicator));
            }
        }
        return out;
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
