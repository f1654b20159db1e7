package org.fedmed.secagg;

import java.time.Duration;
import java.util.List;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.ServerOptimizer;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SteppedAggregator;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.secagg.exchange.ExchangedSecureSum;

/**
 * Any strategy with its aggregation replaced by secure aggregation: site sampling, fit config, straggler cuts and
 * evaluation are the inner strategy's; the server learns only the (weighted) sum of the deltas, and steps the global
 * model towards it with its own {@link ServerOptimizer} (so FedAdam and the other server optimizers work under
 * secure aggregation; their moments, beside the inner strategy's own state such as DP-FedAvg's privacy account,
 * are this strategy's state). The protocol needs at least three sites, so a
 * round completes only with three or more; and a sum of fewer masked inputs than {@link #minFitSites()} is never
 * unmasked, so the server learns no sum of a round that releases no model (nor one with fewer shares of
 * distributed DP noise than the sites sized them for).
 *
 * <p>Every fit it sends asks the site to keep its update ({@link UpdateRelease#SECURE_SUM}); the sum is then run with
 * the sites through the pool ({@link SecureAggregator}), each stage waiting at most {@code stageDeadline}. In
 * simulation the pool's sites answer with in-process participants, in deployment the sites themselves: the
 * protocol's code is the same.
 */
public final class SecureAggregationStrategy extends ForwardingStrategy {

    /** Fewest sites the protocol can run with. */
    public static final int MIN_COHORT = 3;

    /** How long each stage waits for the sites when none is configured. */
    public static final Duration DEFAULT_STAGE_DEADLINE = Duration.ofSeconds(30);

    private final SecureSumConfig config;
    private final ExchangedSecureSum sum;
    private final ServerOptimizer optimizer;

    /** With plain server SGD at {@code serverLearningRate} and the default stage deadline. */
    public SecureAggregationStrategy(Strategy inner, SecureSumConfig config, double serverLearningRate) {
        this(inner, config, DEFAULT_STAGE_DEADLINE, ServerOptimizerSettings.sgd(serverLearningRate));
    }

    /**
     * @param stageDeadline how long each of the protocol's four stages waits for the sites' answers
     */
    public SecureAggregationStrategy(Strategy inner, SecureSumConfig config, Duration stageDeadline,
                                     ServerOptimizerSettings serverOptimizer) {
        super(inner);
        this.config = config;
        this.sum = new ExchangedSecureSum(config, stageDeadline, minFitSites());
        this.optimizer = serverOptimizer.newOptimizer();
    }

    /** The inner strategy's fits, each asking its site to keep its update for the secure sum. */
    @Override
    public List<FitTask> configureFit(RoundContext c) {
        return inner().configureFit(c).stream().map(t -> t.withRelease(UpdateRelease.SECURE_SUM)).toList();
    }

    @Override
    public String name() {
        return inner().name() + "+" + (config.topology() == SecureSumConfig.Topology.CLASSIC ? "secagg" : "secagg+");
    }

    @Override
    public Aggregator newAggregator(RoundContext c) {
        long roundSeed = Seeds.ofRound(c.seed(), Seeds.Stream.SECURE_AGGREGATION_ROUND, c.round());
        boolean byCount = config.weighting() != SecureSumConfig.Weighting.UNIFORM;
        return new SteppedAggregator(new SecureAggregator(c.global(), sum, c.exchange(), byCount, 1.0, c.round(),
                roundSeed, c.influence().maxSiteWeightShare()), optimizer, c.global());
    }

    @Override
    public int minFitSites() {
        return Math.max(MIN_COHORT, inner().minFitSites());
    }

    /**
     * The inner strategy's state (DP-FedAvg's privacy account, say) with this strategy's server optimizer's moments
     * in place of the inner one's ({@code server_optimizer.*}): the inner strategy's own aggregation never runs, so
     * its optimizer never steps.
     */
    @Override
    public StrategyState state() {
        return inner().state().without(ServerOptimizer.STATE_PREFIX).merge(optimizer.state());
    }

    /**
     * Continues from a {@link #state()}: the server optimizer from its moments, the inner strategy from the rest
     * (with its own, never stepped, optimizer as it is), so that the inner strategy refuses what it cannot continue
     * (a DP-FedAvg state without its account, or spent under other DP settings).
     */
    @Override
    public void restore(StrategyState state) {
        inner().restore(state.without(ServerOptimizer.STATE_PREFIX)
                .merge(inner().state().part(ServerOptimizer.STATE_PREFIX)));
        optimizer.restore(state.part(ServerOptimizer.STATE_PREFIX));
    }
}
