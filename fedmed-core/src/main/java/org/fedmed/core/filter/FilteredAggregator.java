package org.fedmed.core.filter;

import java.util.List;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * An aggregator with filters around it: each update passes the inbound filters in order before it reaches
 * the inner aggregator, and the aggregate passes the model filters in order before it is returned. The inner
 * aggregator is untouched, so privacy stays outside aggregation.
 */
public final class FilteredAggregator implements Aggregator {

    private final Aggregator inner;
    private final ModelParameters global;
    private final List<UpdateFilter> inbound;
    private final List<ModelFilter> outbound;
    private final int round;

    public FilteredAggregator(Aggregator inner, ModelParameters global, int round, List<UpdateFilter> inbound,
                              List<ModelFilter> outbound) {
        this.inner = inner;
        this.global = global;
        this.round = round;
        this.inbound = List.copyOf(inbound);
        this.outbound = List.copyOf(outbound);
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        FitResult u = update;
        for (UpdateFilter f : inbound) {
            u = f.apply(u, global);
        }
        inner.accept(u);
    }

    @Override
    public java.util.List<org.fedmed.core.strategy.WeightCaps.Capped> weightCaps() {
        return inner.weightCaps();
    }

    @Override
    public java.util.List<org.fedmed.core.strategy.UpdateRejectedException> close() {
        return inner.close();
    }

    @Override
    public java.util.List<org.fedmed.core.strategy.UpdateRejectedException> refusedLate() {
        return inner.refusedLate();
    }

    @Override
    public java.util.Set<String> unsettled() {
        return inner.unsettled();
    }

    @Override
    public int accepted() {
        return inner.accepted();
    }

    @Override
    public ModelParameters result() {
        ModelParameters m = inner.result();
        for (ModelFilter f : outbound) {
            m = f.apply(global, m, round, inner.accepted());
        }
        return m;
    }
}
