package org.fedmed.core.strategy;

import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;

/**
 * The one seam between the round engine and a federated algorithm. A strategy decides which sites train in
 * a round and with what config, how their updates are folded into a new global model, which sites evaluate,
 * and how their metrics are combined. It never sees how tasks travel: the same strategy runs in simulation
 * and in deployment.
 */
public interface Strategy {

    /** The name the strategy goes by in configs and reports. */
    String name();

    /** The fit tasks for this round, one per chosen site. */
    List<FitTask> configureFit(RoundContext context);

    /** A fresh streaming aggregator for this round's fit results. */
    Aggregator newAggregator(RoundContext context);

    /** The evaluate tasks for this round; may be empty to skip evaluation. */
    List<EvalTask> configureEvaluate(RoundContext context);

    /** Combines per-site evaluation metrics into the federated figure for the round. */
    Map<String, Double> aggregateEvaluate(int round, List<EvalResult> results);

    /**
     * As {@link #aggregateEvaluate(int, List)}, within the round's {@linkplain RoundContext#influence() influence
     * bound}: the engine calls this one. The default ignores the bound; a strategy that weighs sites by their
     * claimed counts overrides it, and a strategy that wraps another forwards it.
     */
    default Map<String, Double> aggregateEvaluate(RoundContext context, List<EvalResult> results) {
        return aggregateEvaluate(context.round(), results);
    }

    /** Fewest successful fit results with which a round may complete. */
    int minFitSites();

    /**
     * How many of the {@code selected} fit tasks this round must deliver before the engine stops waiting and cuts
     * the rest, for a strategy that over-selects sites to be robust to stragglers. Asked right after
     * {@link #configureFit} with the same context and the number of tasks it returned. The default waits for every
     * selected site.
     */
    default int fitResultsWanted(RoundContext context, int selected) {
        return selected;
    }

    /**
     * Asked before each round: a reason to stop the run before {@code round} (a privacy budget that the
     * round would overspend, say), or empty to go on. The default never stops.
     */
    default java.util.Optional<String> stopBefore(int round) {
        return java.util.Optional.empty();
    }

    /**
     * What this strategy carries from round to round besides the global model, as a checkpoint stores it after
     * each completed round. The default keeps none. A strategy with state must give it here whole, so that
     * {@link #restore} on a fresh strategy built from the same config continues the run bit for bit.
     */
    default StrategyState state() {
        return StrategyState.EMPTY;
    }

    /**
     * Continues from a {@link #state()} taken after a completed round, before the next round is configured. The
     * default accepts only an empty state, so a strategy that forgot to implement this cannot resume silently.
     *
     * @throws IllegalArgumentException if the state does not belong to this strategy
     */
    default void restore(StrategyState state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException("strategy '" + name() + "' keeps no state, but the checkpoint holds "
                    + state.vectors().keySet() + " " + state.values().keySet());
        }
    }
}
