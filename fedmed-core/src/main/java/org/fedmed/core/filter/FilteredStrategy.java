package org.fedmed.core.filter;

import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitTask;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;

/** A strategy whose aggregator is wrapped in server-side filters; everything else is the inner strategy's. */
public final class FilteredStrategy implements Strategy {

    private final Strategy inner;
    private final List<UpdateFilter> inbound;
    private final List<ModelFilter> outbound;

    public FilteredStrategy(Strategy inner, List<UpdateFilter> inbound, List<ModelFilter> outbound) {
        this.inner = inner;
        this.inbound = List.copyOf(inbound);
        this.outbound = List.copyOf(outbound);
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
        return new FilteredAggregator(inner.newAggregator(context), context.global(), context.round(), inbound, outbound);
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
        return inner.minFitSites();
    }

    @Override
    public int fitResultsWanted(RoundContext context, int selected) {
        return inner.fitResultsWanted(context, selected);
    }

    @Override
    public java.util.Optional<String> stopBefore(int round) {
        return inner.stopBefore(round);
    }
}
