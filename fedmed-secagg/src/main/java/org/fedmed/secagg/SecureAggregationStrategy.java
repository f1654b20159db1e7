package org.fedmed.secagg;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;

/**
 * Any strategy with its aggregation replaced by secure aggregation: site sampling, fit config and evaluation
 * are the inner strategy's; the server learns only the (weighted) sum of the deltas. The protocol needs at least
 * three sites, so a round completes only with three or more.
 */
public final class SecureAggregationStrategy implements Strategy {

    /** Fewest sites the protocol can run with. */
    public static final int MIN_COHORT = 3;

    private final Strategy inner;
    private final SecureSumConfig config;
    private final RandomnessSource randomness;
    private final double serverLearningRate;

    public SecureAggregationStrategy(Strategy inner, SecureSumConfig config, RandomnessSource randomness,
                                     double serverLearningRate) {
        this.inner = inner;
        this.config = config;
        this.randomness = randomness;
        this.serverLearningRate = serverLearningRate;
    }

    @Override
    public String name() {
        return inner.name() + "+" + (config.topology() == SecureSumConfig.Topology.CLASSIC ? "secagg" : "secagg+");
    }

    @Override
    public List<FitTask> configureFit(RoundContext context) {
        return inner.configureFit(context);
    }

    @Override
    public Aggregator newAggregator(RoundContext c) {
        long roundSeed = Seeds.ofRound(c.seed(), Seeds.Stream.SECURE_AGGREGATION_ROUND, c.round());
        return new SecureAggregator(c.global(), new SecureUpdateSum(config, randomness), serverLearningRate, c.round(),
                roundSeed, c.influence().maxSiteWeightShare());
    }

    @Override
    public List<EvalTask> configureEvaluate(RoundContext context) {
        return inner.configureEvaluate(context);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvalResult> results) {
        return inner.aggregateEvaluate(round, results);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(org.fedmed.core.strategy.RoundContext context, List<EvalResult> results) {
        return inner.aggregateEvaluate(context, results);
    }

    @Override
    public int minFitSites() {
        return Math.max(MIN_COHORT, inner.minFitSites());
    }

    @Override
    public Optional<String> stopBefore(int round) {
        return inner.stopBefore(round);
    }
}
