package org.fedmed.ml;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;

/**
 * The gradient seam of {@link Trainer}: how one step turns its mini-batch into the gradient the local terms and
 * then the optimizer take. {@link #PLAIN} is the model's mean mini-batch gradient; DP-SGD's (in
 * {@code fedmed-privacy}) clips each example's gradient, sums, adds Gaussian noise and divides by the expected batch
 * size. A source may keep state across the steps of one fit (its noise stream, counters); the trainer calls it once
 * per step, in order, from one thread. Whatever a source draws must come from the generators it is given or was
 * built with, so that training stays reproducible from its seeds.
 */
public interface GradientSource {

    /**
     * The model's gradient of (mean batch loss + L2 term) over the batch, as {@link Model#lossAndGradient} computes it.
     * An empty batch (a Poisson draw may pick no row) gives a zero gradient and loss 0.
     */
    GradientSource PLAIN = new GradientSource() {
        @Override
        public double lossSum(Model model, float[] params, LabeledData data, MiniBatches batch,
                              Model.Workspace workspace, SplittableRandom dropout, float[] grad) {
            int count = batch.count();
            if (count == 0) {
                Arrays.fill(grad, 0f);
                return 0;
            }
            double loss = model.lossAndGradient(params, data, batch.rows(), batch.from(), count, grad, workspace,
                    dropout);
            return loss * count;
        }
    };

    /**
     * Overwrites {@code grad} with the step's gradient at {@code params} over the current batch of {@code batch}
     * and returns the sum of the batch's per-example losses, without the L2 term (the trainer reports their mean).
     *
     * @param workspace the model's scratch space for batches of up to the fit's batch size
     * @param dropout   where dropout masks come from (the fit's dropout stream)
     */
    double lossSum(Model model, float[] params, LabeledData data, MiniBatches batch, Model.Workspace workspace,
                   SplittableRandom dropout, float[] grad);

    /** What a divergence message suggests besides a lower learning rate. */
    default String divergenceHint() {
        return "check the features for extreme values";
    }
}
