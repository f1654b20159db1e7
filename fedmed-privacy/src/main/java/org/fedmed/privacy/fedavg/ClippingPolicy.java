package org.fedmed.privacy.fedavg;

/**
 * How DP-FedAvg chooses the clip norm C each round: held fixed, or adapted towards a quantile of the update norms.
 */
public sealed interface ClippingPolicy permits ClippingPolicy.Fixed, ClippingPolicy.Adaptive {

    /** The clip norm of the first round. */
    double initialClipNorm();

    /** The same C every round. */
    record Fixed(double clipNorm) implements ClippingPolicy {
        public Fixed {
            if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
                throw new IllegalArgumentException("clip_norm must be a positive finite number, got " + clipNorm);
            }
        }

        @Override
        public double initialClipNorm() {
            return clipNorm;
        }
    }

    /**
     * Adaptive quantile clipping (Andrew, Thakkar, McMahan and Ramaswamy 2021): after each round
     * {@code C <- C exp(-learningRate (b - targetQuantile))}, where b is the fraction of sites whose update was not
     * clipped, itself released with Gaussian noise of standard deviation {@code countNoiseStddev} on the count. The
     * paper suggests targetQuantile 0.5, learningRate 0.2 and countNoiseStddev = expected sites / 20.
     */
    record Adaptive(double initialClipNorm, double targetQuantile, double learningRate, double countNoiseStddev)
            implements ClippingPolicy {
        public Adaptive {
            if (!(initialClipNorm > 0) || !Double.isFinite(initialClipNorm)) {
                throw new IllegalArgumentException("initial clip_norm must be a positive finite number, got "
                        + initialClipNorm);
            }
            if (!(targetQuantile > 0 && targetQuantile < 1)) {
                throw new IllegalArgumentException("target_quantile must be in (0, 1), got " + targetQuantile);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("clip learning rate must be a positive finite number, got "
                        + learningRate);
            }
            if (!(countNoiseStddev >= 0) || !Double.isFinite(countNoiseStddev)) {
                throw new IllegalArgumentException("clip count noise stddev must be a finite number >= 0, got "
                        + countNoiseStddev);
            }
        }
    }
}
