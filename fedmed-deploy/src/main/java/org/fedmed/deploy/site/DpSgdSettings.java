package org.fedmed.deploy.site;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.fedmed.core.Seeds;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.dpsgd.BatchSampling;
import org.fedmed.privacy.dpsgd.DpSgdConfig;

/**
 * The {@code privacy.dp_sgd} section of a site's config: the site's own decision to train with DP-SGD, whatever the
 * server's strategy. Each fit clips every example's gradient to {@code clipNorm} and adds Gaussian noise with
 * multiplier {@code noiseMultiplier}; the site keeps one privacy account over all its fits and reports its
 * example-level epsilon at {@code delta}. With {@code maxEpsilon} the site refuses every fit that would take it
 * past that epsilon. Without {@code seed} the noise comes from {@link NoiseSource#secure()}, as a deployment must;
 * a seed makes the noise reproducible (the same as a simulated site's in a simulation with that seed), which is
 * only for experiments, since whoever knows the seed can remove the noise.
 *
 * @param clipNorm        C, the bound on each example's gradient norm, > 0
 * @param noiseMultiplier z, the noise standard deviation over C, >= 0 (0 clips but gives no privacy)
 * @param delta           the delta at which epsilon is reported, in (0, 1)
 * @param maxEpsilon      the most epsilon the site spends over its training, > 0; null for no cap
 * @param seed            seed of the noise; null for unpredictable noise
 */
public record DpSgdSettings(double clipNorm, double noiseMultiplier, double delta, Double maxEpsilon, Long seed) {

    /** Default delta. */
    public static final double DEFAULT_DELTA = 1e-5;

    public DpSgdSettings {
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("privacy.dp_sgd.clip_norm must be a positive finite number, got "
                    + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("privacy.dp_sgd.noise_multiplier must be a finite number >= 0, got "
                    + noiseMultiplier);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("privacy.dp_sgd.delta must lie in (0, 1), got " + delta);
        }
        if (maxEpsilon != null && (!(maxEpsilon > 0) || !Double.isFinite(maxEpsilon))) {
            throw new IllegalArgumentException("privacy.dp_sgd.max_epsilon must be a positive finite number, got "
                    + maxEpsilon);
        }
    }

    /** The epsilon cap, if the site has one. */
    public OptionalDouble budget() {
        return maxEpsilon == null ? OptionalDouble.empty() : OptionalDouble.of(maxEpsilon);
    }

    /** The noise seed, if the site's noise is seeded. */
    public OptionalLong noiseSeed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /** The DP-SGD settings a {@code DpSgdSiteClient} trains with: Poisson batches, capped at the budget if any. */
    public DpSgdConfig config() {
        return new DpSgdConfig(clipNorm, noiseMultiplier, BatchSampling.POISSON, delta,
                maxEpsilon == null ? Double.POSITIVE_INFINITY : maxEpsilon);
    }

    /**
     * Where site {@code siteId}'s noise comes from: the platform's secure randomness, or with a seed the stream a
     * simulation with that seed gives the same site.
     */
    public NoiseSource noise(String siteId) {
        return seed == null ? NoiseSource.secure()
                : NoiseSource.seeded(Seeds.ofSite(seed, Seeds.Stream.SITE_DP_SGD_NOISE, siteId));
    }

    /** One line for the site's console: the settings and where the noise comes from. */
    public String describe() {
        return String.format(Locale.ROOT, "DP-SGD with clip_norm %s, noise_multiplier %s, delta %s, %s; %s%s",
                clipNorm, noiseMultiplier, delta,
                maxEpsilon == null ? "no max_epsilon" : "max_epsilon " + maxEpsilon,
                seed == null ? "noise from secure randomness" : "seeded noise (seed " + seed
                        + "): reproducible, for experiments only",
                noiseMultiplier == 0 ? "; noise_multiplier 0 clips gradients but gives no privacy guarantee" : "");
    }
}
