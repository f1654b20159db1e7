package org.fedmed.ml.loss;

/**
 * Absolute error on one linear output: |z - y|, so the batch mean is the mean absolute error. Its gradient is
 * sign(z - y), taken as 0 where z equals y (the subgradient PyTorch's {@code L1Loss} uses there). The prediction is
 * z itself.
 */
public final class MeanAbsoluteError implements Loss {

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
        return Math.abs((double) z[off] - label);
    }

    @Override
    public double lossAndGradient(float[] z, int off, float label, float scale, float[] grad) {
        double d = (double) z[off] - label;
        grad[off] = d > 0 ? scale : d < 0 ? -scale : 0f;
        return Math.abs(d);
    }

    @Override
    public void predict(float[] z, int off, float[] dst, int dstOff) {
        dst[dstOff] = z[off];
    }
}
