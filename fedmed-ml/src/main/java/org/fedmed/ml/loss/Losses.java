package org.fedmed.ml.loss;

import org.fedmed.ml.LossType;

/** Builds the {@link Loss} a spec's loss type names, for a task with a given number of classes. */
public final class Losses {

    private Losses() {
    }

    /**
     * The loss for {@code type} (auto resolved) on a task with {@code classes} classes (0 = regression).
     *
     * @throws IllegalArgumentException naming 'loss' if the loss does not fit the task
     */
    public static Loss create(LossType type, int classes) {
        return switch (type.resolve(classes)) {
            case BCE -> new BinaryCrossEntropy();
            case CROSS_ENTROPY -> new SoftmaxCrossEntropy(classes);
            case MSE -> new MeanSquaredError();
            case AUTO -> throw new IllegalStateException("auto loss was not resolved");
        };
    }
}
