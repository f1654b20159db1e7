package org.fedmed.ml;

import org.fedmed.core.objective.Objective;
import org.fedmed.core.objective.RegressionLoss;

/**
 * The training loss named in a spec; {@link #AUTO} picks the one that fits the {@link Objective}. For a regression
 * the spec's loss also chooses the objective's {@link RegressionLoss} (mse or mae), which decides the metric the
 * engine watches.
 */
public enum LossType {
    /** Binary cross-entropy for 2 classes, softmax cross-entropy for more, the objective's loss for regression. */
    AUTO,
    /** Binary cross-entropy on one logit; needs exactly 2 classes. */
    BCE,
    /** Softmax cross-entropy on one logit per class; needs 2 or more classes. */
    CROSS_ENTROPY,
    /** Mean squared error on one linear output; needs a regression target. */
    MSE,
    /** Mean absolute error on one linear output; needs a regression target. */
    MAE;

    /** The spelling used in spec files. */
    public String key() {
        return SpecKeys.key(this);
    }

    /** The regression loss this spec loss asks for: {@link RegressionLoss#MAE} for mae, MSE otherwise. */
    public RegressionLoss regressionLoss() {
        return this == MAE ? RegressionLoss.MAE : RegressionLoss.MSE;
    }

    /**
     * The concrete loss for {@code objective}.
     *
     * @throws IllegalArgumentException naming the field 'loss' if the loss does not fit the objective
     */
    public LossType resolve(Objective objective) {
        LossType resolved = switch (objective) {
            case Objective.Classification c -> this != AUTO ? this : c.classes() == 2 ? BCE : CROSS_ENTROPY;
            case Objective.Regression r -> this != AUTO ? this : r.loss() == RegressionLoss.MAE ? MAE : MSE;
            case Objective.Survival s -> throw new IllegalArgumentException("model spec: a dense network does not"
                    + " train a survival objective (its loss is a partial likelihood over risk sets)");
        };
        boolean fits = switch (resolved) {
            case BCE -> objective.classes() == 2;
            case CROSS_ENTROPY -> objective instanceof Objective.Classification;
            case MSE -> objective instanceof Objective.Regression r && r.loss() == RegressionLoss.MSE;
            case MAE -> objective instanceof Objective.Regression r && r.loss() == RegressionLoss.MAE;
            case AUTO -> false;
        };
        if (!fits) {
            String task = switch (objective) {
                case Objective.Classification c -> c.classes() + "-class classification";
                case Objective.Regression r -> "regression trained with " + r.loss().key();
                case Objective.Survival s -> "survival";
            };
            throw new IllegalArgumentException("model spec: 'loss' " + resolved.key() + " does not fit " + task
                    + " (use auto, or bce for 2 classes, cross_entropy for 2+ classes, mse or mae for regression)");
        }
        return resolved;
    }
}
