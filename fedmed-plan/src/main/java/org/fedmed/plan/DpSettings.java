package org.fedmed.plan;

import java.util.Locale;
import java.util.Set;

/**
 * The {@code dp:} section of a simulation config: DP-FedAvg with site-level privacy. Sites' deltas are clipped to
 * {@code clip_norm} (fixed, or adapted towards a quantile), Gaussian noise with multiplier {@code noise_multiplier}
 * is added at the server ({@code noise: central}), at each site ({@code noise: local}), or as each site's share
 * of the central noise ({@code noise: distributed}, for use with secure aggregation), and sites are sampled by
 * Poisson sampling at {@code sample_rate} or a fixed {@code sites_per_round}. The accountant reports epsilon at
 * {@code delta} after every round; with {@code target_epsilon} set, a plan that would exceed it is refused and a
 * run stops before a round that would.
 */
public record DpSettings(Double noiseMultiplier, Double clipNorm, Boolean adaptiveClipping, Double targetQuantile,
                         Double clipLearningRate, Double targetEpsilon, Double delta, String sampling,
                         Double sampleRate, Integer sitesPerRound, String noise) {

    public DpSettings {
        noiseMultiplier = noiseMultiplier == null ? 1.0 : noiseMultiplier;
        clipNorm = clipNorm == null ? 1.0 : clipNorm;
        adaptiveClipping = adaptiveClipping != null && adaptiveClipping;
        targetQuantile = targetQuantile == null ? 0.5 : targetQuantile;
        clipLearningRate = clipLearningRate == null ? 0.2 : clipLearningRate;
        delta = delta == null ? 1e-5 : delta;
        sampling = oneOf("dp.sampling", sampling == null ? "fixed" : sampling, Set.of("fixed", "poisson"));
        sampleRate = sampleRate == null ? 1.0 : sampleRate;
        sitesPerRound = sitesPerRound == null ? 0 : sitesPerRound;
        noise = oneOf("dp.noise", noise == null ? "central" : noise, Set.of("central", "local", "distributed"));
        require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "dp.noise_multiplier", "must be > 0, got " + noiseMultiplier);
        require(clipNorm > 0 && Double.isFinite(clipNorm), "dp.clip_norm", "must be > 0, got " + clipNorm);
        require(targetQuantile > 0 && targetQuantile < 1, "dp.target_quantile", "must be in (0, 1), got " + targetQuantile);
        require(clipLearningRate > 0, "dp.clip_learning_rate", "must be > 0, got " + clipLearningRate);
        require(targetEpsilon == null || targetEpsilon > 0, "dp.target_epsilon", "must be > 0, got " + targetEpsilon);
        require(delta > 0 && delta < 1, "dp.delta", "must be in (0, 1), got " + delta);
        require(sampleRate > 0 && sampleRate <= 1, "dp.sample_rate", "must be in (0, 1], got " + sampleRate);
        require(sitesPerRound >= 0, "dp.sites_per_round", "must be >= 0 (0 = all sites), got " + sitesPerRound);
        require(!(adaptiveClipping && !noise.equals("central")), "dp.adaptive_clipping",
                "needs central noise: the server must see which updates were clipped");
    }

    private static String oneOf(String key, String value, Set<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        require(allowed.contains(v), key, "unknown value '" + value + "' (allowed: " + allowed.stream().sorted().toList() + ")");
        return v;
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config key '" + key + "' " + message);
        }
    }
}
