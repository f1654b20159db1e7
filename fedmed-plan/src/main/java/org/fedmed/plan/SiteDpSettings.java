package org.fedmed.plan;

/**
 * The {@code site_dp:} section of a simulation config: every site trains with DP-SGD (per-example clipping to
 * {@code clip_norm}, Gaussian noise with multiplier {@code noise_multiplier}) and keeps its own accountant, which
 * reports the example-level epsilon at {@code delta} it has spent over the run.
 */
public record SiteDpSettings(Double clipNorm, Double noiseMultiplier, Double delta) {
    public SiteDpSettings {
        clipNorm = clipNorm == null ? 1.0 : clipNorm;
        noiseMultiplier = noiseMultiplier == null ? 1.0 : noiseMultiplier;
        delta = delta == null ? 1e-5 : delta;
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("config key 'site_dp.clip_norm' must be > 0, got " + clipNorm);
        }
        if (!(noiseMultiplier > 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("config key 'site_dp.noise_multiplier' must be > 0, got " + noiseMultiplier);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("config key 'site_dp.delta' must be in (0, 1), got " + delta);
        }
    }
}
