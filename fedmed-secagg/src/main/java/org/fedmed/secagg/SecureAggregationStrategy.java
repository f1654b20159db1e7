package org.fedmed.secagg;

import org.fedmed.core.Seeds;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.ServerOptimizer;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SteppedAggregator;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;

/**
 * Any strategy with its aggregation replaced by secure aggregation: site sampling, fit config, straggler cuts and
 * evaluation are the inner strategy's; the server learns only the (weighted) sum of the deltas, and steps the global
 * model towards it with its own {@link ServerOptimizer} (so FedAdam and the other server optimizers work under
 * secure aggregation; their moments are this strategy's state). The protocol needs at least three sites, so a
 * round completes only with three or more.
 */
public final class SecureAggregationStrategy extends ForwardingStrategy {

    /** Fewest sites the protocol can run with. */
    public static final int MIN_COHORT = 3;

    private final SecureSumConfig config;
    private final RandomnessSource randomness;
    private final ServerOptimizer optimizer;

    /** With plain server SGD at {@code serverLearningRate}. */
    public SecureAggregationStrategy(Strategy inner, SecureSumConfig config, RandomnessSource randomness,
                                     double serverLearningRate) {
        this(inner, config, randomness, ServerOptimizerSettings.sgd(serverLearningRate));
    }

    public SecureAggregationStrategy(Strategy inner, SecureSumConfig config, RandomnessSource randomness,
                                     ServerOptimizerSettings serverOptimizer) {
        super(inner);
        this.config = config;
        this.randomness = randomness;
        this.optimizer = serverOptimizer.newOptimizer();
    }

    @Override
    public String name() {
        return inner().name() + "+" + (config.topology() == SecureSumConfig.Topology.CLASSIC ? "secagg" : "secagg+");
    }

    @Override
    public Aggregator newAggregator(RoundContext c) {
        long roundSeed = Seeds.ofRound(c.seed(), Seeds.Stream.SECURE_AGGREGATION_ROUND, c.round());
        return new SteppedAggregator(new SecureAggregator(c.global(), new SecureUpdateSum(config, randomness), 1.0,
                c.round(), roundSeed, c.influence().maxSiteWeightShare()), optimizer, c.global());
    }

    @Override
    public int minFitSites() {
        return Math.max(MIN_COHORT, inner().minFitSites());
    }

    /** The server optimizer's moments: the inner strategy's own aggregation never runs. */
    @Override
    public StrategyState state() {
        return optimizer.state();
    }

    @Override
    public void restore(StrategyState state) {
        optimizer.restore(state);
    }
}
