package org.fedmed.ml.loss;

/**
 * A per-example loss on a network's raw outputs (logits, or the linear value for regression), together with
 * the link that turns outputs into predictions. Implementations are stateless and thread-safe, never
 * allocate, and are numerically stable for any finite output.
 */
public interface Loss {

    /** Number of raw outputs the network must produce for this loss. */
    int outputs();

    /** Number of prediction values per example: 1 for binary (P(class 1)) and regression, else one per class. */
    int predictionWidth();

    /** The loss of one example whose outputs are {@code z[off .. off + outputs())}. */
    double loss(float[] z, int off, float label);

    /**
     * The loss of one example, and {@code scale * dLoss/dz} written to {@code grad[off .. off + outputs())}.
     * The scale is how callers average over a batch without a second pass.
     */
    double lossAndGradient(float[] z, int off, float label, float scale, float[] grad);

    /** Writes the prediction for outputs {@code z[off ..]} to {@code dst[dstOff .. dstOff + predictionWidth())}. */
    void predict(float[] z, int off, float[] dst, int dstOff);
}
