package org.fedmed.ml.loss;

import org.fedmed.core.objective.Objective;
import org.fedmed.ml.LossType;

/** Builds the {@link Loss} a spec's loss type names, for an objective. */
public final class Losses {

    private Losses() {
    }

    /**
     * The loss for {@code type} (auto resolved) on {@code objective}.
     *
     * @throws IllegalArgumentException naming 'loss' if the loss does not fit the objective
     */
    public static Loss create(LossType type, Objective objective) {
        return switch (type.resolve(objective)) {
            case BCE -> new BinaryCrossEntropy();
            case CROSS_ENTROPY -> new SoftmaxCrossEntropy(objective.classes());
            case MSE -> new MeanSquaredError();
            case MAE -> new MeanAbsoluteError();
            case AUTO -> throw new IllegalStateException("auto loss was not resolved");
        };
    }
}
