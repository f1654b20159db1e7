package org.fedmed.core.engine;

import java.time.Duration;

/**
 * How the round engine runs: when to stop, how long a round waits for sites, how often the global model is
 * evaluated, which evaluation metric the convergence check watches (lower is better), and how many rounds in a
 * row may fail to reach min_fit_sites before the run is abandoned.
 */
public record EngineConfig(StoppingRule stopping, Duration roundDeadline, int evaluateEvery, String lossMetric,
                           int maxFailedRounds, long seed) {
    public EngineConfig {
        if (roundDeadline == null || roundDeadline.isNegative() || roundDeadline.isZero()) {
            throw new IllegalArgumentException("round_deadline must be positive, got " + roundDeadline);
        }
        if (evaluateEvery < 1) {
            throw new IllegalArgumentException("evaluate_every must be >= 1, got " + evaluateEvery);
        }
        if (maxFailedRounds < 1) {
            throw new IllegalArgumentException("max_failed_rounds must be >= 1, got " + maxFailedRounds);
        }
    }

    public static EngineConfig of(StoppingRule stopping, long seed) {
        return new EngineConfig(stopping, Duration.ofMinutes(10), 1, "log_loss", 3, seed);
    }

    public EngineConfig withRoundDeadline(Duration d) {
        return new EngineConfig(stopping, d, evaluateEvery, lossMetric, maxFailedRounds, seed);
    }
}
