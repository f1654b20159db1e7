package org.fedmed.privacy.fedavg;

import java.util.random.RandomGenerator;
import org.fedmed.privacy.NoiseSource;

/**
 * The state of adaptive quantile clipping across rounds (Andrew et al. 2021, "Differentially Private Learning with
 * Adaptive Clipping"). Each round clips with the current C; afterwards {@link #update} takes how many sites were
 * not clipped, releases that fraction with Gaussian noise on the count, and moves C geometrically towards the
 * target quantile of the update norms: {@code C <- C exp(-eta (b - gamma))}.
 *
 * <p>The count is centred (each site contributes b_i - 1/2, sensitivity 1/2) and divided by the expected number of
 * sites, as in the paper. Releasing it costs privacy too: with total noise multiplier z the deltas must be noised
 * with {@link #deltaNoiseMultiplier}, so that the two Gaussian queries together are one of multiplier z.
 * Thread-safe.
 */
public final class AdaptiveClipping {

    private static final long COUNT_STREAM = 0x4000_0000_0000_0000L;

    private final ClippingPolicy.Adaptive policy;
    private final NoiseSource noise;
    private double clipNorm;
    private double lastFraction = Double.NaN;

    public AdaptiveClipping(ClippingPolicy.Adaptive policy, NoiseSource noise) {
        this.policy = policy;
        this.noise = noise;
        this.clipNorm = policy.initialClipNorm();
    }

    /** The clip norm to use in the coming round. */
    public synchronized double clipNorm() {
        return clipNorm;
    }

    /** The noised unclipped fraction the last update used; NaN before the first. */
    public synchronized double lastUnclippedFraction() {
        return lastFraction;
    }

    /**
     * Ends a round: releases the unclipped fraction with noise and updates C.
     *
     * @param round         the round that ended (selects the noise stream)
     * @param unclipped     how many sites' updates were within C
     * @param reported      how many sites reported
     * @param expectedSites the expected number of sites per round
     * @return the noised fraction of unclipped updates that drove the update
     */
    public synchronized double update(int round, int unclipped, int reported, double expectedSites) {
        if (unclipped < 0 || unclipped > reported) {
            throw new IllegalArgumentException("unclipped count " + unclipped + " must be in [0, " + reported + "]");
        }
        if (!(expectedSites > 0)) {
            throw new IllegalArgumentException("expected sites must be > 0, got " + expectedSites);
        }
        double centred = unclipped - 0.5 * reported;
        if (policy.countNoiseStddev() > 0) {
            RandomGenerator rng = noise.stream(COUNT_STREAM + round);
            centred += policy.countNoiseStddev() * rng.nextGaussian();
        }
        double fraction = centred / expectedSites + 0.5;
        clipNorm *= Math.exp(-policy.learningRate() * (fraction - policy.targetQuantile()));
        lastFraction = fraction;
        return fraction;
    }

    /** Continues from a clip norm and last fraction taken from an earlier run of the same policy (a resume). */
    public synchronized void restore(double clipNorm, double lastFraction) {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("restored clip norm must be a positive finite number, got " + clipNorm);
        }
        this.clipNorm = clipNorm;
        this.lastFraction = lastFraction;
    }

    /**
     * The noise multiplier for the deltas when a total of z is to cover both the deltas and the clip count:
     * {@code (z^-2 - (2 sigma_b)^-2)^(-1/2)}.
     *
     * @throws IllegalArgumentException if 2 sigma_b <= z, when the count alone would spend the whole budget
     */
    public static double deltaNoiseMultiplier(double z, double countNoiseStddev) {
        if (!(z > 0) || !Double.isFinite(z)) {
            throw new IllegalArgumentException("noise_multiplier must be a positive finite number, got " + z);
        }
        double countMultiplier = 2 * countNoiseStddev;
        if (!(countMultiplier > z)) {
            throw new IllegalArgumentException("clip count noise stddev " + countNoiseStddev + " is too small for noise "
                    + "multiplier " + z + ": it must exceed z / 2 = " + z / 2 + " (the paper suggests expected sites / 20)");
        }
        return 1 / Math.sqrt(1 / (z * z) - 1 / (countMultiplier * countMultiplier));
    }
}
