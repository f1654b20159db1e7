package org.fedmed.ml.loss;

/**
 * Squared error on one linear output: (z - y)^2, so the batch mean is the mean squared error. Its gradient is
 * 2 (z - y). The prediction is z itself.
 */
public final class MeanSquaredError implements Loss {

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
        double d = (double) z[off] - label;
        return d * d;
    }

    @Override
    public double lossAndGradient(float[] z, int off, float label, float scale, float[] grad) {
        double d = (double) z[off] - label;
        grad[off] = scale * (float) (2 * d);
        return d * d;
    }

    @Override
    public void predict(float[] z, int off, float[] dst, int dstOff) {
        dst[dstOff] = z[off];
    }
}
