package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.stats.Analytics;
import org.fedmed.data.stats.AnalyticsOptions;
import org.fedmed.data.stats.AnalyticsReport;
import org.fedmed.data.stats.GaussianCountNoise;
import org.fedmed.data.survival.SurvivalAnalytics;
import org.fedmed.data.survival.SurvivalReport;
import org.fedmed.sim.report.KaplanMeierPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedmed analytics}: federated descriptive statistics of a dataset's sites, computed in-process the way
 * deployed sites would, with small-cell suppression (no count below k is released) and optional Gaussian noise on
 * the counts. Prints a table and writes JSON.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Per-site and pooled counts, means, standard deviations, missingness, quartiles (from",
                "histograms over the merged ranges) and a cross-tabulation of a categorical column by the label,",
                "over each site's training rows. No count from 1 to k-1 is released, nor one that would let such a",
                "count be recovered by subtraction; suppressed cells are shown as 'supp'. With --survival-time:",
                "Kaplan-Meier curves and the log-rank test from counts per time bin instead (JSON and a PNG plot)."})
final class AnalyticsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "NAME|DEF",
            description = "A registered dataset, or the path of a dataset definition file.")
    String dataset;
    @Option(names = "--sites", paramLabel = "N", description = "Simulated sites of a dataset without natural ones."
            + " Default: ${DEFAULT-VALUE}.")
    int sites = DataOptions.DEFAULT_SITES;
    @Option(names = "--partition", paramLabel = "KIND", description = "iid, dirichlet or quantity. Default: iid.")
    String partition = "iid";
    @Option(names = "--test-fraction", paramLabel = "F", description = "Held-out share per site, not analysed."
            + " Default: ${DEFAULT-VALUE}.")
    double testFraction = DataOptions.DEFAULT_TEST_FRACTION;
    @Option(names = "--seed", paramLabel = "S", description = "Split seed. Default: ${DEFAULT-VALUE}.")
    long seed = DataOptions.DEFAULT_SEED;
    @Option(names = "--k", paramLabel = "K", description = "Smallest count released. Default: ${DEFAULT-VALUE}.")
    long k = AnalyticsOptions.DEFAULT_K;
    @Option(names = "--site-k", paramLabel = "SITE=K", description = "A larger k for one site (repeatable).")
    Map<String, Long> siteK = new LinkedHashMap<>();
    @Option(names = "--cross-tab", paramLabel = "COLUMN",
            description = "Categorical column to cross-tabulate by the label.")
    String crossTab;
    @Option(names = "--bins", paramLabel = "N",
            description = "Histogram bins behind the quartiles. Default: ${DEFAULT-VALUE}.")
    int bins = 1024;
    @Option(names = "--epsilon", paramLabel = "E", description = "Add Gaussian noise to counts at this epsilon per"
            + " site, in (0, 1); means, deviations and quartiles are then not released.")
    Double epsilon;
    @Option(names = "--delta", paramLabel = "D", description = "Delta of the noise. Default: ${DEFAULT-VALUE}.")
    double delta = 1e-5;
    @Option(names = "--json", paramLabel = "FILE",
            description = "Where the JSON goes. Default: analytics-<dataset>.json (survival-<dataset>.json with"
                    + " --survival-time).")
    Path json;
    @picocli.CommandLine.Mixin
    SurvivalOptions survival = new SurvivalOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        DataOptions data = DataOptions.defaults(dataset).withSites(sites).withTestFraction(testFraction).withSeed(seed)
                .withPartitioner(PartitionerKind.valueOf(partition.strip().toUpperCase(java.util.Locale.ROOT)),
                        DataOptions.DEFAULT_ALPHA);
        AnalyticsOptions options = new AnalyticsOptions(k, siteK, crossTab, bins,
                epsilon == null ? null : new GaussianCountNoise(epsilon, delta, seed));
        DatasetRegistry registry = DatasetRegistry.fromEnvironment();
        String name = registry.definition(dataset).name();
        var sites = FederatedDatasets.splitAll(registry, data);
        if (survival.asked()) {
            SurvivalReport report = SurvivalAnalytics.run(name, registry.definition(dataset).label(), sites.siteIds(),
                    sites.split().trains(), survival.query(), options, survival.estimator(), survival.confidence);
            out.print(report.table());
            Path file = json != null ? json : Path.of("survival-" + name + ".json");
            Files.writeString(file, report.toJson());
            Path png = new KaplanMeierPlot().write(report, survival.plotBeside(file));
            out.println("wrote " + file + " and " + png);
            out.flush();
            return 0;
        }
        AnalyticsReport report = Analytics.run(name, sites.siteIds(), sites.split().trains(), options);
        out.print(report.table());
        Path file = json != null ? json : Path.of("analytics-" + name + ".json");
        Files.writeString(file, report.toJson());
        out.println("wrote " + file);
        out.flush();
        return 0;
    }
}
