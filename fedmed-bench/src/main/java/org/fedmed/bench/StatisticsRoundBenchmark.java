package org.fedmed.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.WeightedMeanAggregator;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A statistics round against a fit round over the same in-process sites, on one thread: {@code sites} sites of
 * {@code rows} training rows each, 13 features shaped like heart-disease (10 numeric with 5% missing values, three
 * categorical with 3 or 4 levels). Each {@code variant} is one round over all sites:
 * <ul>
 *   <li>{@code moments}: every site's column moments, merged in canonical order, and each site's preprocessor built
 *       from the merged statistics (the exchange a deployment runs with the default mean imputation);</li>
 *   <li>{@code moments_histograms}: as {@code moments}, plus the second exchange: each site's 1024-bin histograms
 *       over the merged ranges, merged (a federated median);</li>
 *   <li>{@code fit}: every site trains the global logistic model for 2 local epochs of mini-batch SGD (batch 32,
 *       the defaults) on its encoded rows, and the updates are averaged by weight (FedAvg).</li>
 * </ul>
 * The wire is left out on both sides; what a message costs is measured by the transport benchmarks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class StatisticsRoundBenchmark {

    /** Sites in the round. */
    @Param({"100"})
    public int sites;

    /** Training rows per site. */
    @Param({"300"})
    public int rows;

    /** What one round runs; see the class description. */
    @Param({"moments", "moments_histograms", "fit"})
    public String variant;

    private DatasetSchema schema;
    private List<RawTable> tables;
    private List<TrainingSiteClient> clients;
    private ModelParameters global;
    private PreprocessOptions options;

    @Setup
    public void setup() {
        List<FeatureSpec> features = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            features.add(FeatureSpec.numeric("x" + j));
        }
        features.add(FeatureSpec.categorical("c0", "1", "2", "3", "4"));
        features.add(FeatureSpec.categorical("c1", "0", "1", "2"));
        features.add(FeatureSpec.categorical("c2", "3", "6", "7"));
        schema = new DatasetSchema(features, List.of(), LabelSpec.threshold("y", 0));
        SplittableRandom rng = new SplittableRandom(17);
        tables = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            double[][] v = new double[rows][13];
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < 10; j++) {
                    v[r][j] = rng.nextDouble() < 0.05 ? Double.NaN : 100 + 10 * s + 20 * rng.nextDouble();
                }
                v[r][10] = rng.nextInt(4);
                v[r][11] = rng.nextInt(3);
                v[r][12] = rng.nextInt(3);
                y[r] = rng.nextInt(2);
            }
            tables.add(new RawTable("site-" + s, schema, v, y));
        }
        options = PreprocessOptions.defaults();
        List<Preprocessor> prep = Preprocessing.fit(tables, options);
        Model model = Models.build(ModelSpec.logistic(), prep.getFirst().featureNames().size(), 2);
        global = model.init(42);
        clients = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            LabeledData d = prep.get(s).transform(tables.get(s));
            clients.add(new TrainingSiteClient("site-" + s, model, d, d, 1.0));
        }
    }

    @Benchmark
    public Object round() {
        return switch (variant) {
            case "moments" -> statistics(false);
            case "moments_histograms" -> statistics(true);
            case "fit" -> fit();
            default -> throw new IllegalArgumentException("unknown variant '" + variant
                    + "' (moments, moments_histograms, fit)");
        };
    }

    private List<Preprocessor> statistics(boolean histograms) {
        List<List<ColumnMoments>> perSite = new ArrayList<>(sites);
        for (RawTable t : tables) {
            perSite.add(FederatedStatistics.moments(t));
        }
        List<ColumnMoments> merged = FederatedStatistics.mergeMoments(perSite);
        PreprocessOptions o = options;
        List<Histogram> hist = List.of();
        if (histograms) {
            List<List<Histogram>> h = new ArrayList<>(sites);
            for (RawTable t : tables) {
                h.add(FederatedStatistics.histograms(t, merged, PreprocessOptions.DEFAULT_BINS));
            }
            hist = FederatedStatistics.mergeHistograms(h);
            o = options.withMissing(MissingPolicy.MEDIAN);
        }
        List<Preprocessor> out = new ArrayList<>(sites);
        for (RawTable t : tables) {
            out.add(Preprocessing.fromMerged(schema, o, merged, hist, List.of(), t));
        }
        return out;
    }

    private ModelParameters fit() {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, r -> r.numExamples(), 1.0, 1);
        FitConfig config = new FitConfig(2, 32, 0.1, false, 42);
        try {
            for (TrainingSiteClient c : clients) {
                agg.accept(c.fit(new FitTask(1, c.siteId(), global, config)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return agg.result();
    }
}
