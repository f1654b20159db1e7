package org.fedmed.deploy.site;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.fedavg.SiteUpdateNoise;

/**
 * The {@code privacy.update_noise} section of a site's config: the bounds within which the site clips its update and
 * adds DP-FedAvg's Gaussian noise to it when a fit asks it to ({@code dp.noise: local} or {@code distributed} in the
 * server's plan, the fit's {@link LocalTerm.UpdateNoise} term), and where that noise comes from. A fit whose noise
 * is below {@code minNoiseMultiplier} or whose clip norm is above {@code maxClipNorm} is refused, and with
 * {@code required} so is a fit that asks for no noise at all; the reason names the key and both values, and the
 * site's audit log records it. Without {@code seed} the noise comes from {@link NoiseSource#secure()}, as a
 * deployment must; a seed makes it the noise a simulation with that run seed gives the same site, which is only for
 * experiments, since whoever knows the seed can take the noise out again. A site without the section adds the noise
 * a fit asks for, at any multiplier and clip norm, from secure randomness ({@link #DEFAULT}).
 *
 * @param minNoiseMultiplier the least multiplier of the noise this site adds itself, z / sqrt(shares) (z for local
 *                           noise, the site's share for distributed noise), finite and >= 0
 * @param maxClipNorm        the largest clip norm C the site clips to, > 0; infinite for no bound
 * @param required           whether the site refuses every fit that asks for no update noise
 * @param seed               seed of the noise (the run seed of the simulation it should match); null for
 *                           unpredictable noise
 */
public record UpdateNoiseSettings(double minNoiseMultiplier, double maxClipNorm, boolean required, Long seed) {

    /** No bounds, noise from secure randomness: what a site without {@code privacy.update_noise} does. */
    public static final UpdateNoiseSettings DEFAULT = new UpdateNoiseSettings(0, Double.POSITIVE_INFINITY, false,
            null);

    public UpdateNoiseSettings {
        if (!(minNoiseMultiplier >= 0) || !Double.isFinite(minNoiseMultiplier)) {
            throw new IllegalArgumentException("privacy.update_noise.min_noise_multiplier must be a finite number"
                    + " >= 0, got " + minNoiseMultiplier);
        }
        if (!(maxClipNorm > 0)) {
            throw new IllegalArgumentException("privacy.update_noise.max_clip_norm must be a number > 0, got "
                    + maxClipNorm);
        }
    }

    /** The update-noise term a fit carries, if any. */
    public static Optional<LocalTerm.UpdateNoise> asked(FitConfig fit) {
        return fit.terms().stream().filter(t -> t instanceof LocalTerm.UpdateNoise)
                .map(t -> (LocalTerm.UpdateNoise) t).findFirst();
    }

    /** Why this site refuses a fit of {@code fit}, if it does. */
    public Optional<String> refusal(FitConfig fit) {
        Optional<LocalTerm.UpdateNoise> asked = asked(fit);
        if (asked.isEmpty()) {
            return required ? Optional.of("the fit asks for no noise on the site's update, and this site sends"
                    + " updates only with DP-FedAvg noise added at the site (privacy.update_noise.required: true);"
                    + " the server's plan needs dp.noise: local or distributed") : Optional.empty();
        }
        LocalTerm.UpdateNoise n = asked.get();
        if (n.siteNoiseMultiplier() < minNoiseMultiplier) {
            return Optional.of(String.format(Locale.ROOT, "the fit asks the site to add noise of multiplier %s"
                    + " (dp.noise_multiplier %s over %s share(s)); this site adds at least %s"
                    + " (privacy.update_noise.min_noise_multiplier)", n.siteNoiseMultiplier(), n.noiseMultiplier(),
                    n.shares(), minNoiseMultiplier));
        }
        if (n.clipNorm() > maxClipNorm) {
            return Optional.of("the fit asks the site to clip its update to norm " + n.clipNorm()
                    + " (dp.clip_norm); this site clips to at most " + maxClipNorm
                    + " (privacy.update_noise.max_clip_norm)");
        }
        return Optional.empty();
    }

    /** Where site {@code siteId}'s noise comes from: secure randomness, or with a seed the simulation's stream. */
    public NoiseSource noise(String siteId) {
        return seed == null ? NoiseSource.secure() : SiteUpdateNoise.seeded(seed, siteId);
    }

    /** The filters that apply {@code term} to this site's update, in order. */
    public List<org.fedmed.core.filter.UpdateFilter> filters(LocalTerm.UpdateNoise term, String siteId) {
        return SiteUpdateNoise.filters(term, noise(siteId));
    }

    /** One line for the site's console: the bounds and where the noise comes from. */
    public String describe() {
        return String.format(Locale.ROOT, "DP-FedAvg noise on request, multiplier at least %s, clip norm at most %s%s;"
                        + " %s", minNoiseMultiplier, maxClipNorm, required ? ", required on every fit" : "",
                seed == null ? "noise from secure randomness"
                        : "seeded noise (seed " + seed + "): reproducible, for experiments only");
    }
}
