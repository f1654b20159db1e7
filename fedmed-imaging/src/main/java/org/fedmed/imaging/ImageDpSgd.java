package org.fedmed.imaging;

import java.util.SplittableRandom;
import org.fedmed.core.Seeds;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.dpsgd.BatchSampling;
import org.fedmed.privacy.dpsgd.DpSgdConfig;
import org.fedmed.privacy.dpsgd.DpSgdTraining;

/**
 * DP-SGD settings of an image site: each example's gradient clipped to L2 norm {@code clipNorm}, Gaussian noise of
 * standard deviation {@code noiseMultiplier * clipNorm} added to the batch's sum, and the site's example-level
 * privacy account kept by fedmed-privacy's {@link DpSgdTraining} with its {@link RdpAccountant}, exactly as the
 * plain-Java DP-SGD site keeps it: each fit composes {@code DpSgdTrainer.accountedStepsFor(n, fit)} steps at
 * q = min(B, n) / n and z, reports {@code dp_epsilon} at {@code delta}, and a fit that would take the site past
 * {@code maxEpsilon} is refused before it trains ({@code PrivacyBudgetExhaustedException}). Batches are fedmed-ml's
 * shuffled passes ({@link BatchSampling#SHUFFLE}), for which the accountant's figure is the usual approximation, not
 * a proven bound (as for the plain-Java trainer with shuffled batches). In simulation the noise of a fit is seeded
 * from {@code noiseSeed} (take it from {@link Seeds.Stream#SITE_DP_SGD_NOISE} for the site) and the fit's seed, so a
 * run reproduces bit for bit.
 */
public record ImageDpSgd(double clipNorm, double noiseMultiplier, double delta, double maxEpsilon, long noiseSeed) {

    public ImageDpSgd {
        // DpSgdConfig checks clip_norm, noise_multiplier, delta and max_epsilon, naming each
        config(clipNorm, noiseMultiplier, delta, maxEpsilon);
    }

    /** Settings reporting epsilon at delta 1e-5 with no budget. */
    public ImageDpSgd(double clipNorm, double noiseMultiplier, long noiseSeed) {
        this(clipNorm, noiseMultiplier, 1e-5, Double.POSITIVE_INFINITY, noiseSeed);
    }

    /** The equivalent settings of fedmed-privacy's DP-SGD (shuffled batches). */
    public DpSgdConfig config() {
        return config(clipNorm, noiseMultiplier, delta, maxEpsilon);
    }

    private static DpSgdConfig config(double clipNorm, double noiseMultiplier, double delta, double maxEpsilon) {
        return new DpSgdConfig(clipNorm, noiseMultiplier, BatchSampling.SHUFFLE, delta, maxEpsilon);
    }

    /** A fresh account for a site: fedmed-privacy's DP-SGD mode with nothing spent. */
    DpSgdTraining account() {
        return new DpSgdTraining(config(), NoiseSource.seeded(noiseSeed), new RdpAccountant());
    }

    /** The gradient seam of one fit whose seed is {@code fitSeed}. */
    ImageGradient gradient(ImageModel model, long fitSeed) {
        return ImageGradient.dpSgd(model, clipNorm, noiseMultiplier,
                new SplittableRandom(Seeds.substream(noiseSeed, fitSeed)));
    }
}
