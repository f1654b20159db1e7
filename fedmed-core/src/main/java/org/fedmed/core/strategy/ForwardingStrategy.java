package org.fedmed.core.strategy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;

/**
 * The base of every strategy that decorates another (filters, secure aggregation): each method of {@link Strategy}
 * goes to the inner strategy unless a subclass overrides it, so a method added to the interface later is
 * forwarded too instead of silently taking its default. A subclass overrides only what it changes.
 */
public abstract class ForwardingStrategy implements Strategy {

    private final Strategy inner;

    protected ForwardingStrategy(Strategy inner) {
        if (inner == null) {
            throw new IllegalArgumentException("a decorated strategy needs the strategy it wraps");
        }
        this.inner = inner;
    }

    /** The strategy this one wraps. */
    protected final Strategy inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<FitTask> configureFit(RoundContext context) {
        return inner.configureFit(context);
    }

    @Override
    public Aggregator newAggregator(RoundContext context) {
        return inner.newAggregator(context);
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
    public Map<String, Double> aggregateEvaluate(RoundContext context, List<EvalResult> results) {
        return inner.aggregateEvaluate(context, results);
    }

    @Override
    public int minFitSites() {
        return inner.minFitSites();
    }

    @Override
    public int fitResultsWanted(RoundContext context, int selected) {
        return inner.fitResultsWanted(context, selected);
    }

    @Override
    public Optional<String> stopBefore(int round) {
        return inner.stopBefore(round);
    }

    @Override
    public StrategyState state() {
        return inner.state();
    }

    @Override
    public void restore(StrategyState state) {
        inner.restore(state);
    }
}
