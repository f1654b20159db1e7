package org.fedmed.privacy.dpsgd;

import java.util.Objects;

/**
 * DP-SGD at a site (Abadi et al. 2016, "Deep Learning with Differential Privacy"): each example's gradient is
 * clipped to L2 norm C, the clipped gradients are summed, N(0, (z C)^2) noise is added, and the sum is divided by
 * the batch size. Example-level privacy is reported at {@code delta}; a site refuses to train past
 * {@code maxEpsilon} (use {@code Double.POSITIVE_INFINITY} for no cap).
 *
 * @param clipNorm        C, the bound on each example's gradient norm
 * @param noiseMultiplier z, the noise standard deviation over C; 0 turns noise off (and privacy with it)
 * @param sampling        how batches are formed
 * @param delta           the delta at which the site reports epsilon
 * @param maxEpsilon      the most epsilon the site will spend over all its training
 */
public record DpSgdConfig(double clipNorm, double noiseMultiplier, BatchSampling sampling, double delta,
                          double maxEpsilon) {

    public DpSgdConfig {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("dp-sgd clip_norm must be a positive finite number, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("dp-sgd noise_multiplier must be a finite number >= 0, got "
                    + noiseMultiplier);
        }
        Objects.requireNonNull(sampling, "sampling");
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("dp-sgd delta must be in (0, 1), got " + delta);
        }
        if (!(maxEpsilon > 0)) {
            throw new IllegalArgumentException("dp-sgd max_epsilon must be > 0, got " + maxEpsilon);
        }
    }

    /** Poisson batches, no epsilon cap. */
    public static DpSgdConfig of(double clipNorm, double noiseMultiplier, double delta) {
        return new DpSgdConfig(clipNorm, noiseMultiplier, BatchSampling.POISSON, delta, Double.POSITIVE_INFINITY);
    }
}
