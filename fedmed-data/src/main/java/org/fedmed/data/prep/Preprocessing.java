package org.fedmed.data.prep;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * Fits one {@link Preprocessor} per site from the sites' training tables. Statistics are the sites'
 * own ({@link StatsMode#PER_SITE}) or global ones merged from per-site aggregates
 * ({@link StatsMode#FEDERATED}, see {@link FederatedStatistics}). Either way the output columns are the
 * same at every site: a feature gets an indicator column when indicators are on, the policy imputes, and
 * the feature is missing in some site's training rows or its schema asks for one (deciding this needs only
 * each site's missing count). A numeric column with no present value (at that site, per-site) is imputed
 * with 0 and left unscaled; a zero-variance column is centred but not scaled.
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
        if (needsHistograms(options)) {
            histograms = FederatedStatistics.mergeHistograms(sites.stream()
                    .map(t -> FederatedStatistics.histograms(t, global, options.histogramBins())).toList());
        }
        List<Preprocessor> out = new ArrayList<>();
        Preprocessor shared = null;
        for (RawTable t : sites) {
            if (options.stats() == StatsMode.FEDERATED) {
                shared = shared == null ? fromMerged(schema, options, global, histograms, t) : shared;
                out.add(shared);
            } else {
                out.add(fromMerged(schema, options, global, histograms, t));
            }
        }
        return out;
    }

    /**
     * Whether fitting with {@code options} needs the second exchange, histograms over the merged ranges: only a
     * federated median does.
     */
    public static boolean needsHistograms(PreprocessOptions options) {
        return options.stats() == StatsMode.FEDERATED && options.missing() == MissingPolicy.MEDIAN;
    }

    /**
     * One site's preprocessor from the statistics merged over all sites, the one entry point that simulation
     * ({@link #fit}) and a deployed site share, so both run the same arithmetic. {@code global} are the merged
     * moments (whose missing counts decide the indicator columns), {@code histograms} the merged histograms when
     * {@link #needsHistograms} (empty otherwise); {@code ownTrain} is the site's own training table, used only
     * under {@link StatsMode#PER_SITE} (with incomplete rows dropped under {@link MissingPolicy#DROP}).
     */
    public static Preprocessor fromMerged(DatasetSchema schema, PreprocessOptions options, List<ColumnMoments> global,
                                          List<Histogram> histograms, RawTable ownTrain) {
        if (global.size() != schema.features().size()) {
            throw new IllegalArgumentException("merged statistics hold " + global.size() + " columns, the schema has "
                    + schema.features().size() + " features");
        }
        boolean[] indicator = indicators(schema, global, options);
        if (options.stats() == StatsMode.FEDERATED) {
            double[] medians = null;
            if (options.missing() == MissingPolicy.MEDIAN) {
                if (histograms.size() != global.size()) {
                    throw new IllegalArgumentException("a federated median needs merged histograms of all "
                            + global.size() + " columns, got " + histograms.size());
                }
                medians = histograms.stream().mapToDouble(h -> h.quantile(0.5)).toArray();
            }
            return build(schema, options, global, medians, indicator);
        }
        RawTable t = options.missing() == MissingPolicy.DROP ? ownTrain.completeRows() : ownTrain;
        double[] medians = null;
        if (options.missing() == MissingPolicy.MEDIAN) {
            medians = new double[t.cols()];
            for (int f = 0; f < medians.length; f++) {
                medians[f] = FederatedStatistics.exactMedian(t.column(f));
            }
        }
        return build(schema, options, FederatedStatistics.moments(t), medians, indicator);
    }

    /**
     * The model inputs a site builds from {@code schema} when no missing-value indicator columns are added: known
     * from the schema alone, with no data. A deployment server sizes the model with it.
     */
    public static List<String> featureNamesWithoutIndicators(DatasetSchema schema) {
        List<ColumnTransform> cols = new ArrayList<>();
        for (int f = 0; f < schema.features().size(); f++) {
            cols.add(new ColumnTransform(0, 0, 1, false));
        }
        return new Preprocessor(schema, MissingPolicy.MEAN, cols).featureNames();
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
                                      double[] medians, boolean[] indicator) {
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
            };
            double center = 0;
            double scale = 1;
            if (options.standardize() && observed) {
                center = m.mean();
                double sd = Math.sqrt(m.variance());
                scale = sd > 0 && Double.isFinite(sd) ? sd : 1;
            }
            cols.add(new ColumnTransform(fill, center, scale, indicator[f]));
        }
        return new Preprocessor(schema, options.missing(), cols);
    }
}
