package org.fedmed.core.filter;

import java.util.List;
import java.util.Optional;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.FoldRule;
import org.fedmed.core.strategy.ForwardingAggregator;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * An aggregator with filters around it: each update passes the inbound filters in order before it reaches
 * the inner aggregator, and the aggregate passes the model filters in order before it is returned. The inner
 * aggregator is untouched, so privacy stays outside aggregation.
 */
public final class FilteredAggregator extends ForwardingAggregator {

    private final ModelParameters global;
    private final List<UpdateFilter> inbound;
    private final List<ModelFilter> outbound;
    private final int round;

    public FilteredAggregator(Aggregator inner, ModelParameters global, int round, List<UpdateFilter> inbound,
                              List<ModelFilter> outbound) {
        super(inner);
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
        inner().accept(u);
    }

    @Override
    public ModelParameters result() {
        ModelParameters m = inner().result();
        for (ModelFilter f : outbound) {
            m = f.apply(global, m, round, inner().accepted());
        }
        return m;
    }

    /** None: the inbound filters must see each update, so a pool may not fold them where the sites train. */
    @Override
    public Optional<FoldRule> foldRule() {
        return Optional.empty();
    }

    /** Refused, as this aggregator gives no fold rule. */
    @Override
    public void acceptFolded(LinearFold partial) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " must see every update; it takes no fold");
    }
}
