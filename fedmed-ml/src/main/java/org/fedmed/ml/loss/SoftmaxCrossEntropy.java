package org.fedmed.ml.loss;

/**
 * Softmax cross-entropy on one logit per class with the label as class index: log(sum_j exp(z_j)) - z_y,
 * computed with the log-sum-exp shift so large logits do not overflow. Its gradient is softmax(z) - onehot(y).
 * For 2 classes the prediction is P(class 1) only, matching the binary convention.
 */
public final class SoftmaxCrossEntropy implements Loss {

    private final int classes;

    /** A softmax cross-entropy over {@code classes >= 2} classes. */
    public SoftmaxCrossEntropy(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("softmax cross-entropy needs >= 2 classes, got " + classes);
        }
        this.classes = classes;
    }

    @Override
    public int outputs() {
        return classes;
    }

    @Override
    public int predictionWidth() {
        return classes == 2 ? 1 : classes;
    }

    @Override
    public double loss(float[] z, int off, float label) {
        return logSumExp(z, off) - z[off + (int) label];
    }

    @Override
    public double lossAndGradient(float[] z, int off, float label, float scale, float[] grad) {
        double lse = logSumExp(z, off);
        int y = (int) label;
        for (int j = 0; j < classes; j++) {
            double p = Math.exp(z[off + j] - lse);
            grad[off + j] = scale * (float) (j == y ? p - 1 : p);
        }
        return lse - z[off + y];
    }

    @Override
    public void predict(float[] z, int off, float[] dst, int dstOff) {
        double lse = logSumExp(z, off);
        if (classes == 2) {
            dst[dstOff] = (float) Math.exp(z[off + 1] - lse);
            return;
        }
        for (int j = 0; j < classes; j++) {
            dst[dstOff + j] = (float) Math.exp(z[off + j] - lse);
        }
    }

    private double logSumExp(float[] z, int off) {
        double max = z[off];
        for (int j = 1; j < classes; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(z[off + j] - max);
        }
        return max + Math.log(sum);
    }
}
