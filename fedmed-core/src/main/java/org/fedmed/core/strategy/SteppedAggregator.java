package org.fedmed.core.strategy;

import org.fedmed.core.ModelParameters;

/**
 * An aggregator whose result is taken through the strategy's {@link ServerOptimizer}: the inner aggregator gives
 * the round's aggregate (a mean, a median, a sum over its weight), and the optimizer steps the global model
 * towards it. Everything else, including the rule that a refused update leaves the aggregate untouched, is the
 * inner aggregator's. The optimizer steps once, when {@link #result()} is called, so a round that fails to
 * complete leaves the optimizer's state as it was. Its fold rule is the inner aggregator's: the server step comes
 * after the mean, so it does not stop a fold.
 */
public final class SteppedAggregator extends ForwardingAggregator {

    private final ServerOptimizer optimizer;
    private final ModelParameters global;

    public SteppedAggregator(Aggregator inner, ServerOptimizer optimizer, ModelParameters global) {
        super(inner);
        this.optimizer = optimizer;
        this.global = global;
    }

    /** The optimizer's step from the global model towards the inner aggregator's result. */
    @Override
    public ModelParameters result() {
        return optimizer.step(global, inner().result());
    }
}
