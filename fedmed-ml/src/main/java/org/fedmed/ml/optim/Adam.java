package org.fedmed.ml.optim;

/**
 * Adam with bias correction (Kingma and Ba): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, then
 * p -= lr * m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - b1^t) and v_hat = v / (1 - b2^t).
 */
public final class Adam implements Optimizer {

    private final double beta1;
    private final double beta2;
    private final float epsilon;
    private final float[] m;
    private final float[] v;
    private int t;

    /** Adam for a parameter vector of {@code size} values. */
    public Adam(int size, double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs beta1, beta2 in [0, 1) and epsilon > 0, got "
                    + beta1 + ", " + beta2 + ", " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = (float) epsilon;
        this.m = new float[size];
        this.v = new float[size];
    }

    @Override
    public void step(float[] params, float[] grad, double lr) {
        OptimizerChecks.sameLength(params, grad, m.length);
        t++;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float invBias2 = (float) (1 / (1 - Math.pow(beta2, t)));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float eps = epsilon;
        float[] mm = m;
        float[] vv = v;
        int n = params.length;
        for (int i = 0; i < n; i++) {
            float g = grad[i];
            float mi = b1 * mm[i] + c1 * g;
            float vi = b2 * vv[i] + c2 * g * g;
            mm[i] = mi;
            vv[i] = vi;
            params[i] -= stepSize * mi / ((float) Math.sqrt(vi * invBias2) + eps);
        }
    }

    /** Number of steps taken so far. */
    public int steps() {
        return t;
    }
}
