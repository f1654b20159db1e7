package org.fedmed.core.filter;

import java.util.List;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;

/** A strategy whose aggregator is wrapped in server-side filters; everything else is the inner strategy's. */
public final class FilteredStrategy extends ForwardingStrategy {

    private final List<UpdateFilter> inbound;
    private final List<ModelFilter> outbound;

    public FilteredStrategy(Strategy inner, List<UpdateFilter> inbound, List<ModelFilter> outbound) {
        super(inner);
        this.inbound = List.copyOf(inbound);
        this.outbound = List.copyOf(outbound);
    }

    @Override
    public Aggregator newAggregator(RoundContext context) {
        return new FilteredAggregator(inner().newAggregator(context), context.global(), context.round(), inbound,
                outbound);
    }
}
