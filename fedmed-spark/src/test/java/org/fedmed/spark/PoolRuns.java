package org.fedmed.spark;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.LocalFoldingPool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.robust.AggregationRule;

/** Runs of the round engine over a population, through a Spark pool or in process, with the same everything else. */
final class PoolRuns {

    static final long SEED = 42;

    private PoolRuns() {
    }

    static FederatedAveraging fedAvg(int perRound) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(perRound, 1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    static Strategy median(int perRound) {
        return new FederatedAveraging("median", SiteWeighting.SAMPLE_COUNT, SiteSelection.count(perRound, 1),
                new FitConfig(1, 8, 0.1, false, 0), ServerOptimizerSettings.sgd(1.0), 0,
                new AggregationRule.Median(), 0);
    }

    /** Evaluation in the last round only (every site evaluates then): the rounds time training. */
    static EngineConfig config(int rounds) {
        return new EngineConfig(StoppingRule.rounds(rounds), java.time.Duration.ofMinutes(5), rounds,
                org.fedmed.core.metrics.ClassificationMetrics.LOG_LOSS, 3, SEED)
                .withInfluence(new InfluenceLimits(1.0, 2.0));
    }

    static ModelParameters init() {
        return SyntheticSites.model().init(Seeds.of(SEED, Seeds.Stream.INIT));
    }

    static ModelParameters init(VirtualSites sites) {
        return sites instanceof PopulationSites p ? p.model().init(Seeds.of(SEED, Seeds.Stream.INIT)) : init();
    }

    static RunResult run(Strategy strategy, SitePool pool, int rounds) {
        VirtualSites sites = pool instanceof SparkSitePool s ? s.sites() : null;
        return new RoundEngine(strategy, pool, config(rounds), null).run(sites == null ? init() : init(sites));
    }

    static RunResult run(Strategy strategy, SitePool pool, int rounds, VirtualSites sites) {
        return new RoundEngine(strategy, pool, config(rounds), null).run(init(sites));
    }

    /** A wearable-style population of {@code size} devices in {@code regions} regions, logistic regression. */
    static PopulationSites wearable(int size, int regions) {
        return PopulationSites.of(org.fedmed.data.population.PopulationSpec.of(
                org.fedmed.data.population.SiteGenerator.Wearable.defaults(), size, SEED)
                .withRegions(regions, org.fedmed.data.population.RegionRule.STRIDE), org.fedmed.ml.DenseSpec.logistic());
    }

    /** A fixed evaluation sample of the population: every 20th site. */
    static List<String> evaluated(VirtualSites sites) {
        List<String> ids = sites.siteIds();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 20) {
            out.add(ids.get(i));
        }
        return out;
    }

    /** The in-process lazy pool over the same population, each site built when a task names it. */
    static InProcessSitePool lazy(VirtualSites sites) {
        return InProcessSitePool.lazy((org.fedmed.core.strategy.SortedSiteIds) sites.siteIds(), evaluated(sites),
                sites::site, 0, 2);
    }

    /** The in-process lazy pool over the same population, folding its rounds as the Spark pool does. */
    static RunResult inProcess(Strategy strategy, VirtualSites sites, int rounds) {
        try (InProcessSitePool pool = lazy(sites); LocalFoldingPool folding = new LocalFoldingPool(pool, sites::region)) {
            return run(strategy, folding, rounds, sites);
        }
    }

    /** The in-process lazy pool, not folding: the round engine streams each update into the aggregator. */
    static RunResult streamed(Strategy strategy, VirtualSites sites, int rounds) {
        try (InProcessSitePool pool = lazy(sites)) {
            return run(strategy, pool, rounds, sites);
        }
    }

    /** The Spark pool over the population, evaluating the same sample as {@link #lazy}. */
    static SparkSitePool spark(org.apache.spark.api.java.JavaSparkContext spark, VirtualSites sites) {
        return new SparkSitePool(spark, sites, evaluated(sites), false);
    }
}
