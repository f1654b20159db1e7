package org.fedmed.imaging;

import java.util.SplittableRandom;
import org.fedmed.core.Seeds;

/**
 * DP-SGD settings of an image site: each example's gradient clipped to L2 norm {@code clipNorm}, Gaussian noise of
 * standard deviation {@code noiseMultiplier * clipNorm} added to the batch's sum. In simulation the noise of a fit is
 * seeded from {@code noiseSeed} (take it from {@link Seeds.Stream#SITE_DP_SGD_NOISE} for the site) and the fit's seed,
 * so a run reproduces bit for bit. Batches are fedmed-ml's shuffled passes, not Poisson samples, and no privacy
 * account is kept here: the epsilon of a run is not reported by this module.
 */
public record ImageDpSgd(double clipNorm, double noiseMultiplier, long noiseSeed) {

    public ImageDpSgd {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("dp-sgd clip_norm must be a positive finite number, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("dp-sgd noise_multiplier must be a finite number >= 0, got "
                    + noiseMultiplier);
        }
    }

    /** The gradient seam of one fit whose seed is {@code fitSeed}. */
    ImageGradient gradient(ImageModel model, long fitSeed) {
        return ImageGradient.dpSgd(model, clipNorm, noiseMultiplier,
                new SplittableRandom(Seeds.substream(noiseSeed, fitSeed)));
    }
}
