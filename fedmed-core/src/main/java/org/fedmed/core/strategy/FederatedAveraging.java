package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.metrics.MetricAggregation;

/**
 * The FedAvg family: sample sites, train locally, take a weighted mean of what comes back, step the global
 * model towards it. The weighting picks the member: by sample count (FedAvg), uniform, or by sample count
 * times data quality. Every available site evaluates the global model; metrics are example-weighted.
 */
public final class FederatedAveraging implements Strategy {

    private final SiteWeighting weighting;
    private final SiteSelection selection;
    private final FitConfig fitConfig;
    private final double serverLearningRate;

    public FederatedAveraging(SiteWeighting weighting, SiteSelection selection, FitConfig fitConfig,
                              double serverLearningRate) {
        if (!(serverLearningRate > 0) || !Double.isFinite(serverLearningRate)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + serverLearningRate);
        }
        this.weighting = weighting;
        this.selection = selection;
        this.fitConfig = fitConfig;
        this.serverLearningRate = serverLearningRate;
    }

    @Override
    public String name() {
        return weighting.strategyName();
    }

    @Override
    public List<FitTask> configureFit(RoundContext c) {
        List<FitTask> tasks = new ArrayList<>();
        for (String site : selection.sample(c.availableSites(), c.seed(), c.round())) {
            long siteSeed = SiteSelection.mix(c.seed() ^ site.hashCode(), c.round());
            tasks.add(new FitTask(c.round(), site, c.global(), fitConfig.withSeed(siteSeed)));
        }
        return tasks;
    }

    @Override
    public Aggregator newAggregator(RoundContext c) {
        return new WeightedMeanAggregator(c.global(), weighting::weight, serverLearningRate, c.round());
    }

    @Override
    public List<EvalTask> configureEvaluate(RoundContext c) {
        return c.availableSites().stream().sorted().map(s -> new EvalTask(c.round(), s, c.global())).toList();
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvalResult> results) {
        return MetricAggregation.weightedMean(results.stream()
                .map(r -> new MetricAggregation.Weighted(r.numExamples(), r.metrics())).toList());
    }

    @Override
    public int minFitSites() {
        return selection.minSites();
    }
}
