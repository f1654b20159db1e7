package org.fedmed.core.strategy;

import java.util.List;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * An aggregator whose result is taken through the strategy's {@link ServerOptimizer}: the inner aggregator gives
 * the round's aggregate (a mean, a median, a sum over its weight), and the optimizer steps the global model
 * towards it. Everything else, including the rule that a refused update leaves the aggregate untouched, is the
 * inner aggregator's. The optimizer steps once, when {@link #result()} is called, so a round that fails to
 * complete leaves the optimizer's state as it was.
 */
public final class SteppedAggregator implements Aggregator {

    private final Aggregator inner;
    private final ServerOptimizer optimizer;
    private final ModelParameters global;

    public SteppedAggregator(Aggregator inner, ServerOptimizer optimizer, ModelParameters global) {
        this.inner = inner;
        this.optimizer = optimizer;
        this.global = global;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        inner.accept(update);
    }

    @Override
    public java.util.List<UpdateRejectedException> close() {
        return inner.close();
    }

    @Override
    public java.util.List<UpdateRejectedException> refusedLate() {
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
        return optimizer.step(global, inner.result());
    }

    @Override
    public List<WeightCaps.Capped> weightCaps() {
        return inner.weightCaps();
    }

    /** The inner aggregator's: the server step comes after the mean, so it does not stop a fold. */
    @Override
    public java.util.Optional<FoldRule> foldRule() {
        return inner.foldRule();
    }

    @Override
    public void acceptFolded(LinearFold partial) {
        inner.acceptFolded(partial);
    }
}
