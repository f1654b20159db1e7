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

    static Strategy fedAvg(int perRound) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(perRound, 1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    /**
     * {@code flat} aggregating in two tiers, by region: its aggregator with a fold rule {@linkplain
     * org.fedmed.core.strategy.FoldRule#inRegions() by region}, which a folding pool honours.
     */
    static Strategy byRegion(Strategy flat) {
        return new org.fedmed.core.strategy.ForwardingStrategy(flat) {
            @Override
            public org.fedmed.core.strategy.Aggregator newAggregator(org.fedmed.core.strategy.RoundContext c) {
                org.fedmed.core.strategy.Aggregator inner = flat.newAggregator(c);
                return new org.fedmed.core.strategy.Aggregator() {
                    @Override
                    public void accept(FitResult update) throws org.fedmed.core.strategy.UpdateRejectedException {
                        throw new IllegalStateException("a by-region test round must be folded");
                    }

                    @Override
                    public int accepted() {
                        return inner.accepted();
                    }

                    @Override
                    public ModelParameters result() {
                        return inner.result();
                    }

                    @Override
                    public java.util.Optional<org.fedmed.core.strategy.FoldRule> foldRule() {
                        return inner.foldRule().map(org.fedmed.core.strategy.FoldRule::inRegions);
                    }

                    @Override
                    public void acceptFolded(org.fedmed.core.strategy.LinearFold partial) {
                        inner.acceptFolded(partial);
                    }
                };
            }
        };
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

    /** The in-process pool over the same population, each site built when it is asked to work, folding its rounds. */
    static RunResult inProcess(Strategy strategy, VirtualSites sites, int rounds) {
        List<SiteClient> lazy = new ArrayList<>();
        for (String id : sites.siteIds()) {
            lazy.add(new SiteClient() {
                @Override
                public String siteId() {
                    return id;
                }

                @Override
                public FitResult fit(FitTask task) throws Exception {
                    return sites.site(id).fit(task);
                }

                @Override
                public EvalResult evaluate(EvalTask task) throws Exception {
                    return sites.site(id).evaluate(task);
                }
            });
        }
        try (InProcessSitePool pool = new InProcessSitePool(lazy, 2);
             LocalFoldingPool folding = new LocalFoldingPool(pool, sites::region)) {
            return run(strategy, folding, rounds, sites);
        }
    }
}
