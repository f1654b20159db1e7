package org.fedmed.imaging;

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
 * a proven bound (as for the plain-Java trainer with shuffled batches). A fit's noise is {@code noise}'s stream for
 * the fit's seed: in simulation {@link NoiseSource#seeded} from the site's {@link Seeds.Stream#SITE_DP_SGD_NOISE}
 * seed, so a run reproduces bit for bit; in deployment {@link NoiseSource#secure()} unless the site sets a seed.
 */
public record ImageDpSgd(double clipNorm, double noiseMultiplier, double delta, double maxEpsilon, NoiseSource noise) {

    public ImageDpSgd {
        // DpSgdConfig checks clip_norm, noise_multiplier, delta and max_epsilon, naming each
        config(clipNorm, noiseMultiplier, delta, maxEpsilon);
        java.util.Objects.requireNonNull(noise, "noise");
    }

    /** Settings whose noise is seeded from {@code noiseSeed} (simulation), each fit's stream keyed by its seed. */
    public ImageDpSgd(double clipNorm, double noiseMultiplier, double delta, double maxEpsilon, long noiseSeed) {
        this(clipNorm, noiseMultiplier, delta, maxEpsilon, NoiseSource.seeded(noiseSeed));
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
        return new DpSgdTraining(config(), noise, new RdpAccountant());
    }

    /** The gradient seam of one fit whose seed is {@code fitSeed}: its noise from {@code noise}'s stream for it. */
    ImageGradient gradient(ImageModel model, long fitSeed) {
        return ImageGradient.dpSgd(model, clipNorm, noiseMultiplier, noise.stream(fitSeed));
    }
}
