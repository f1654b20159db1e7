package org.fedmed.ml.loss;

/**
 * Binary cross-entropy on one logit z with label y in {0, 1}: max(z, 0) - z*y + log(1 + exp(-|z|)), which is
 * -y*log(sigmoid(z)) - (1-y)*log(1 - sigmoid(z)) computed without overflow. Its gradient is sigmoid(z) - y.
 */
public final class BinaryCrossEntropy implements Loss {

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public int predictionWidth() {
        return 1;
    }

    @Override
    public double loss(float[] z, int off, float label) {
        double x = z[off];
        return Math.max(x, 0) - x * label + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Override
    public double lossAndGradient(float[] z, int off, float label, float scale, float[] grad) {
        double x = z[off];
        double e = Math.exp(-Math.abs(x));
        double p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
        grad[off] = scale * (float) (p - label);
        return Math.max(x, 0) - x * label + Math.log1p(e);
    }

    @Override
    public void predict(float[] z, int off, float[] dst, int dstOff) {
        dst[dstOff] = (float) sigmoid(z[off]);
    }

    /** The logistic function, evaluated without overflow for large |x|. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
