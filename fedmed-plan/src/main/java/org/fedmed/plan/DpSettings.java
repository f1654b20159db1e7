package org.fedmed.plan;

import static org.fedmed.plan.Choices.or;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import org.fedmed.privacy.fedavg.NoisePlacement;

/**
 * The {@code dp:} section of a simulation config: DP-FedAvg with site-level privacy. Sites' deltas are clipped to
 * {@code clip_norm} (fixed, or adapted towards a quantile), Gaussian noise with multiplier {@code noise_multiplier}
 * is added at the server ({@code noise: central}), at each site ({@code noise: local}), or as each site's share
 * of the central noise ({@code noise: distributed}, for use with secure aggregation), and sites are sampled by
 * Poisson sampling at {@code sample_rate} or a fixed {@code sites_per_round}. The accountant reports epsilon at
 * {@code delta} after every round; with {@code target_epsilon} set, a plan that would exceed it is refused and a
 * run stops before a round that would. Every value is present and checked; {@code targetEpsilon} is infinite when
 * no target is set. It is bound from, and written as, a private document of optional keys.
 */
public record DpSettings(double noiseMultiplier, double clipNorm, boolean adaptiveClipping, double targetQuantile,
                         double clipLearningRate, double targetEpsilon, double delta, DpSampling sampling,
                         double sampleRate, int sitesPerRound, NoisePlacement noise) {

    public DpSettings {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(noise, "noise");
        require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "dp.noise_multiplier", "must be > 0, got " + noiseMultiplier);
        require(clipNorm > 0 && Double.isFinite(clipNorm), "dp.clip_norm", "must be > 0, got " + clipNorm);
        require(targetQuantile > 0 && targetQuantile < 1, "dp.target_quantile", "must be in (0, 1), got " + targetQuantile);
        require(clipLearningRate > 0, "dp.clip_learning_rate", "must be > 0, got " + clipLearningRate);
        require(targetEpsilon > 0, "dp.target_epsilon", "must be > 0, got " + targetEpsilon);
        require(delta > 0 && delta < 1, "dp.delta", "must be in (0, 1), got " + delta);
        require(sampleRate > 0 && sampleRate <= 1, "dp.sample_rate", "must be in (0, 1], got " + sampleRate);
        require(sitesPerRound >= 0, "dp.sites_per_round", "must be >= 0 (0 = all sites), got " + sitesPerRound);
        require(!(adaptiveClipping && noise != NoisePlacement.CENTRAL), "dp.adaptive_clipping",
                "needs central noise: the server must see which updates were clipped");
    }

    /** These settings with noise multiplier {@code z}. */
    public DpSettings withNoiseMultiplier(double z) {
        return new DpSettings(z, clipNorm, adaptiveClipping, targetQuantile, clipLearningRate, targetEpsilon, delta,
                sampling, sampleRate, sitesPerRound, noise);
    }

    /** These settings with no {@code target_epsilon}: the accountant reports epsilon but enforces none. */
    public DpSettings withoutTargetEpsilon() {
        return new DpSettings(noiseMultiplier, clipNorm, adaptiveClipping, targetQuantile, clipLearningRate,
                Double.POSITIVE_INFINITY, delta, sampling, sampleRate, sitesPerRound, noise);
    }

    /** Whether a {@code target_epsilon} was set. */
    public boolean hasTargetEpsilon() {
        return Double.isFinite(targetEpsilon);
    }

    /** The section as read: every key left out takes its default here. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static DpSettings of(Document d) {
        return new DpSettings(
                or(d.noiseMultiplier(), 1.0),
                or(d.clipNorm(), 1.0),
                or(d.adaptiveClipping(), false),
                or(d.targetQuantile(), 0.5),
                or(d.clipLearningRate(), 0.2),
                or(d.targetEpsilon(), Double.POSITIVE_INFINITY),
                or(d.delta(), 1e-5),
                Choices.of("dp.sampling", d.sampling(), DpSampling.FIXED, DpSampling.values(), Choices::key),
                or(d.sampleRate(), 1.0),
                or(d.sitesPerRound(), 0),
                Choices.of("dp.noise", d.noise(), NoisePlacement.CENTRAL, NoisePlacement.values(), Choices::key));
    }

    @JsonValue
    private Document document() {
        return new Document(noiseMultiplier, clipNorm, adaptiveClipping, targetQuantile, clipLearningRate,
                hasTargetEpsilon() ? targetEpsilon : null, delta, Choices.key(sampling), sampleRate, sitesPerRound,
                Choices.key(noise));
    }

    /** The section as written in YAML: every key optional; written with {@code target_epsilon: null} when unset. */
    private record Document(Double noiseMultiplier, Double clipNorm, Boolean adaptiveClipping, Double targetQuantile,
                            Double clipLearningRate, Double targetEpsilon, Double delta, String sampling,
                            Double sampleRate, Integer sitesPerRound, String noise) {
    }

    private static void require(boolean ok, String key, String message) {
        Choices.require(ok, key, message);
    }
}
