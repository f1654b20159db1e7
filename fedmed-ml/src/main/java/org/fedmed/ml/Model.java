package org.fedmed.ml;

import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.objective.Objective;

/**
 * A trainable model built from a {@link ModelSpec} for a fixed input width and {@link Objective}. The model
 * holds no parameters: every method works on a caller's flat {@code float[]} laid out as {@link #layout()}
 * says, so the same vector can be aggregated, clipped and sent without conversion. A model is immutable and
 * thread-safe; the mutable scratch space of a training loop lives in a {@link Workspace}, one per thread.
 * All computation is deterministic: the same inputs give bit-identical outputs.
 */
public interface Model {

    /** The spec this model was built from. */
    ModelSpec spec();

    /** Number of input features per row. */
    int inputDim();

    /** What the model is trained to predict; its metrics are what a site reports for this model. */
    Objective objective();

    /** Number of classes: 0 for regression, 2 for binary, more for multi-class ({@link Objective#classes()}). */
    int classes();

    /** Names, shapes and flat offsets of the tensors, e.g. {@code dense0.weight [out, in]}, {@code dense0.bias [out]}. */
    ParameterLayout layout();

    /** Total number of parameters, the length of every flat vector this model works on. */
    default int parameterCount() {
        return layout().totalSize();
    }

    /** Number of values {@link #predict} returns per row: 1 for binary and regression, else {@link #classes()}. */
    int predictionWidth();

    /** Fresh parameters drawn by the spec's seeded {@link InitScheme} (biases zero unless the scheme draws them). */
    ModelParameters init(long seed);

    /** Scratch buffers for batches of up to {@code maxBatch} rows; reuse it across steps, one per thread. */
    Workspace newWorkspace(int maxBatch);

    /**
     * One mini-batch forward and backward pass over rows {@code rows[from .. from + count)} of {@code data}.
     * Overwrites {@code grad} with the gradient of (mean batch loss + {@link #regularization}) and returns the
     * mean batch loss without the L2 term. Dropout is applied only when {@code dropout} is non-null; the mask
     * is drawn from it, so the same generator state gives the same mask. Allocates nothing.
     */
    double lossAndGradient(float[] params, LabeledData data, int[] rows, int from, int count, float[] grad,
                           Workspace workspace, SplittableRandom dropout);

    /** The L2 term added to the training objective: 0.5 * l2 * (sum of squared weights, biases excluded). */
    double regularization(float[] params);

    /**
     * Predictions for every row, without dropout: for binary P(class 1) per row; for multi-class
     * {@code rows * classes} probabilities, row-major; for regression the predicted value per row.
     */
    float[] predict(float[] params, LabeledData data);

    /** Mean loss over all rows, without the L2 term and without dropout. */
    double loss(float[] params, LabeledData data);

    /**
     * Checks that {@code data} fits this model: column count, class count, finite features, and labels that are
     * class indices in [0, classes) (or finite targets for regression).
     *
     * @throws IllegalArgumentException saying what does not fit, with the first bad row
     */
    void checkData(LabeledData data);

    /** Mutable per-thread scratch space for {@link #lossAndGradient}; obtained from {@link #newWorkspace}. */
    interface Workspace {
        /** The largest batch this workspace holds. */
        int maxBatch();
    }
}
