package org.fedmed.imaging;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.fedmed.core.L2Clip;

/**
 * The gradient seam of {@link ImageTrainer}: how one step turns its mini-batch into the gradient the local terms and
 * then the optimizer take. {@link #PLAIN} is the network's mean mini-batch gradient; {@link #dpSgd} is DP-SGD's
 * (Abadi et al. 2016): each example's gradient through a batch of one, clipped to L2 norm C, summed, plus
 * N(0, (z C)^2) per coordinate, divided by the batch size. A source is called once per step, in order, from the
 * thread that owns the network.
 */
public interface ImageGradient {

    /** The mean softmax cross-entropy gradient over the batch. */
    ImageGradient PLAIN = (net, data, rows, from, count, grad) ->
            net.lossAndGradient(data, rows, from, count, grad) * count;

    /**
     * Overwrites {@code grad} with the step's gradient over images {@code rows[from .. from + count)} and returns the
     * sum of their per-example losses.
     */
    double lossSum(ImageNetwork net, ImageData data, int[] rows, int from, int count, float[] grad);

    /**
     * DP-SGD's gradient with clip norm {@code clipNorm} and noise multiplier {@code noiseMultiplier}, its noise drawn
     * from {@code noise} (seed it from the fit's seed for simulation; use a secure generator in deployment). It costs
     * one forward and backward pass per example. Models with batch norm are refused: batch statistics mix the
     * examples of a batch, which per-example clipping assumes they do not.
     *
     * @throws IllegalArgumentException if the clip norm is not positive, the multiplier negative, or the model has
     *                                  batch norm
     */
    static ImageGradient dpSgd(ImageModel model, double clipNorm, double noiseMultiplier, RandomGenerator noise) {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("dp-sgd clip_norm must be a positive finite number, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("dp-sgd noise_multiplier must be a finite number >= 0, got "
                    + noiseMultiplier);
        }
        if (model.hasBatchNorm()) {
            throw new IllegalArgumentException("DP-SGD needs per-example gradients, but " + model
                    + " has batch norm, whose batch statistics mix examples; use a cnn spec");
        }
        float[] example = new float[model.parameterCount()];
        float[] sum = new float[model.parameterCount()];
        int[] one = new int[1];
        double stddev = noiseMultiplier * clipNorm;
        return (net, data, rows, from, count, grad) -> {
            Arrays.fill(sum, 0f);
            double lossSum = 0;
            for (int k = 0; k < count; k++) {
                one[0] = rows[from + k];
                lossSum += net.lossAndGradient(data, one, 0, 1, example);
                try {
                    L2Clip.clipInPlace(example, clipNorm);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("training diverged: the gradient of image " + one[0]
                            + " is not finite; lower the learning rate or the clip norm", e);
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += example[i];
                }
            }
            double scale = 1.0 / count;
            for (int i = 0; i < sum.length; i++) {
                double noisy = stddev > 0 ? sum[i] + stddev * noise.nextGaussian() : sum[i];
                grad[i] = (float) (noisy * scale);
            }
            return lossSum;
        };
    }
}
