package org.fedmed.ml;

/** The training loss named in a spec; {@link #AUTO} picks one from the number of classes. */
public enum LossType {
    /** Binary cross-entropy for 2 classes, softmax cross-entropy for more, mean squared error for regression. */
    AUTO,
    /** Binary cross-entropy on one logit; needs exactly 2 classes. */
    BCE,
    /** Softmax cross-entropy on one logit per class; needs 2 or more classes. */
    CROSS_ENTROPY,
    /** Mean squared error on one linear output; needs a regression target (classes = 0). */
    MSE;

    /** The spelling used in spec files. */
    public String key() {
        return SpecKeys.key(this);
    }

    /**
     * The concrete loss for a task with {@code classes} classes (0 = regression).
     *
     * @throws IllegalArgumentException naming the field 'loss' if the loss does not fit the task
     */
    public LossType resolve(int classes) {
        LossType resolved = this != AUTO ? this : classes == 0 ? MSE : classes == 2 ? BCE : CROSS_ENTROPY;
        boolean fits = switch (resolved) {
            case BCE -> classes == 2;
            case CROSS_ENTROPY -> classes >= 2;
            case MSE -> classes == 0;
            case AUTO -> false;
        };
        if (!fits) {
            String task = classes == 0 ? "regression" : classes + "-class classification";
            throw new IllegalArgumentException("model spec: 'loss' " + resolved.key() + " does not fit " + task
                    + " (use auto, or bce for 2 classes, cross_entropy for 2+ classes, mse for regression)");
        }
        return resolved;
    }
}
