package org.fedmed.privacy.dpsgd;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.fedmed.core.L2Clip;
import org.fedmed.core.LabeledData;
import org.fedmed.ml.GradientSource;
import org.fedmed.ml.MiniBatches;
import org.fedmed.ml.Model;

/**
 * The DP-SGD gradient of one batch: per-example gradients (each a batch of one through
 * {@link Model#lossAndGradient}), each clipped to L2 norm C, summed, plus N(0, (z C)^2) per coordinate, divided by
 * the given denominator. Holds the scratch buffers of one training run; not thread-safe. The per-example gradient
 * includes the model's L2 term, so that term is clipped along with the data term.
 *
 * <p>As the {@link GradientSource} of one fit of {@link org.fedmed.ml.Trainer} it draws its noise from the stream it
 * was built with and divides by the batch's {@link MiniBatches#expectedSize() expected size} (B for Poisson batches,
 * the batch's own size for shuffled ones), and counts the examples it has seen and clipped over the fit.
 */
final class PrivateGradient implements GradientSource {

    private final Model model;
    private final double clipNorm;
    private final double noiseStddev;
    private final Model.Workspace workspace;
    private final float[] example;
    private final float[] sum;
    private final RandomGenerator fitNoise;
    private double lastLossSum;
    private int lastClipped;
    private long totalExamples;
    private long totalClipped;

    PrivateGradient(Model model, double clipNorm, double noiseMultiplier) {
        this(model, clipNorm, noiseMultiplier, null);
    }

    /** The gradient of one fit, its noise drawn from {@code fitNoise} (null only when the noise multiplier is 0). */
    PrivateGradient(Model model, double clipNorm, double noiseMultiplier, RandomGenerator fitNoise) {
        this.fitNoise = fitNoise;
        this.model = model;
        this.clipNorm = clipNorm;
        this.noiseStddev = noiseMultiplier * clipNorm;
        this.workspace = model.newWorkspace(1);
        this.example = new float[model.parameterCount()];
        this.sum = new float[model.parameterCount()];
    }

    /**
     * Writes into {@code grad} the noisy clipped gradient of rows {@code rows[from .. from + count)}.
     *
     * @param denominator what the noisy sum is divided by: the expected batch size for Poisson batches, the batch
     *                    size for fixed ones
     */
    void compute(float[] params, LabeledData data, int[] rows, int from, int count, double denominator,
                 RandomGenerator noise, SplittableRandom dropout, float[] grad) {
        float[] s = sum;
        Arrays.fill(s, 0f);
        double lossSum = 0;
        int clipped = 0;
        for (int k = 0; k < count; k++) {
            lossSum += model.lossAndGradient(params, data, rows, from + k, 1, example, workspace, dropout);
            double norm;
            try {
                norm = L2Clip.clipInPlace(example, clipNorm);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("training diverged: the gradient of row " + rows[from + k]
                        + " is not finite; lower the learning rate or check the features for extreme values", e);
            }
            if (norm > clipNorm) {
                clipped++;
            }
            float[] e = example;
            for (int i = 0; i < s.length; i++) {
                s[i] += e[i];
            }
        }
        double scale = 1 / denominator;
        if (noiseStddev > 0) {
            for (int i = 0; i < s.length; i++) {
                grad[i] = (float) ((s[i] + noiseStddev * noise.nextGaussian()) * scale);
            }
        } else {
            for (int i = 0; i < s.length; i++) {
                grad[i] = (float) (s[i] * scale);
            }
        }
        lastLossSum = lossSum;
        lastClipped = clipped;
        totalExamples += count;
        totalClipped += clipped;
    }

    @Override
    public double lossSum(Model model, float[] params, LabeledData data, MiniBatches batch,
                          Model.Workspace workspace, SplittableRandom dropout, float[] grad) {
        if (model != this.model) {
            throw new IllegalArgumentException("this DP-SGD gradient was built for another model");
        }
        compute(params, data, batch.rows(), batch.from(), batch.count(), batch.expectedSize(), fitNoise, dropout, grad);
        return lastLossSum;
    }

    @Override
    public String divergenceHint() {
        return "the clip norm";
    }

    /** Sum of the per-example losses of the last batch. */
    double lastLossSum() {
        return lastLossSum;
    }

    /** How many per-example gradients of the last batch were clipped. */
    int lastClipped() {
        return lastClipped;
    }

    /** The share of all per-example gradients computed so far that were clipped; 0 before any. */
    double clippedFraction() {
        return totalExamples == 0 ? 0 : (double) totalClipped / totalExamples;
    }
}
