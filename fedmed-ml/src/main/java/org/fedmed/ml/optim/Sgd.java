package org.fedmed.ml.optim;

/**
 * Stochastic gradient descent with heavy-ball momentum: v = momentum * v + g, then p -= lr * v. With momentum 0
 * this is plain SGD, p -= lr * g.
 */
public final class Sgd implements Optimizer {

    private final float momentum;
    private final float[] velocity;

    /** SGD for a parameter vector of {@code size} values; {@code momentum} in [0, 1). */
    public Sgd(int size, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = (float) momentum;
        this.velocity = momentum == 0 ? null : new float[size];
    }

    @Override
    public void step(float[] params, float[] grad, double lr) {
        OptimizerChecks.sameLength(params, grad, velocity == null ? params.length : velocity.length);
        float rate = (float) lr;
        int n = params.length;
        if (velocity == null) {
            for (int i = 0; i < n; i++) {
                params[i] -= rate * grad[i];
            }
            return;
        }
        float[] v = velocity;
        float m = momentum;
        for (int i = 0; i < n; i++) {
            float vi = m * v[i] + grad[i];
            v[i] = vi;
            params[i] -= rate * vi;
        }
    }
}
