package org.fedmed.ml.optim;

import org.fedmed.ml.OptimizerSpec;

/** Builds a fresh {@link Optimizer}, with zeroed state, from a spec. */
public final class Optimizers {

    private Optimizers() {
    }

    /** A new optimizer for a parameter vector of {@code size} values. */
    public static Optimizer create(OptimizerSpec spec, int size) {
        return switch (spec) {
            case OptimizerSpec.Sgd s -> new Sgd(size, s.momentum());
            case OptimizerSpec.Adam a -> new Adam(size, a.beta1(), a.beta2(), a.epsilon());
        };
    }
}
