package org.fedmed.ml.optim;

/** Argument checks shared by the optimizers. */
final class OptimizerChecks {

    private OptimizerChecks() {
    }

    static void sameLength(float[] params, float[] grad, int expected) {
        if (params.length != expected || grad.length != expected) {
            throw new IllegalArgumentException("optimizer built for " + expected + " parameters got params of "
                    + params.length + " and grad of " + grad.length);
        }
    }
}
