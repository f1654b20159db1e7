package org.fedmed.core.engine;

import java.time.Duration;
import org.fedmed.core.strategy.InfluenceLimits;

/**
 * How the round engine runs: when to stop, how long a round (fit and evaluation together) may take, how often the
 * global model is evaluated, which evaluation metric the convergence check watches (lower is better), how many
 * rounds in a row may fail to reach min_fit_sites before the run is abandoned, how far one site may move a round
 * ({@link InfluenceLimits}), and the fewest rows a result may rest on: a fit result trained on fewer than
 * {@code minRows} examples, or an evaluation computed on fewer, is rejected and none of its numbers is kept.
 */
public record EngineConfig(StoppingRule stopping, Duration roundDeadline, int evaluateEvery, String lossMetric,
                           int maxFailedRounds, long seed, InfluenceLimits influence, long minRows) {
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
        if (influence == null) {
            throw new IllegalArgumentException("influence limits are required");
        }
        if (minRows < 1) {
            throw new IllegalArgumentException("min_rows must be >= 1, got " + minRows);
        }
    }

    /** No influence bound and no minimum cohort beyond one row. */
    public EngineConfig(StoppingRule stopping, Duration roundDeadline, int evaluateEvery, String lossMetric,
                        int maxFailedRounds, long seed) {
        this(stopping, roundDeadline, evaluateEvery, lossMetric, maxFailedRounds, seed, InfluenceLimits.NONE, 1);
    }

    /** A ten-minute deadline, evaluation every round watching a classification's log loss, no influence bound. */
    public static EngineConfig of(StoppingRule stopping, long seed) {
        return new EngineConfig(stopping, Duration.ofMinutes(10), 1, org.fedmed.core.metrics.ClassificationMetrics.LOG_LOSS, 3, seed);
    }

    public EngineConfig withRoundDeadline(Duration d) {
        return new EngineConfig(stopping, d, evaluateEvery, lossMetric, maxFailedRounds, seed, influence, minRows);
    }

    public EngineConfig withInfluence(InfluenceLimits limits) {
        return new EngineConfig(stopping, roundDeadline, evaluateEvery, lossMetric, maxFailedRounds, seed, limits, minRows);
    }

    public EngineConfig withMinRows(long rows) {
        return new EngineConfig(stopping, roundDeadline, evaluateEvery, lossMetric, maxFailedRounds, seed, influence, rows);
    }

    /**
     * The time an evaluation still gets when the fit phase used up the round deadline: a tenth of the deadline, at
     * most 5 s. A round therefore ends within its deadline plus this grace.
     */
    public Duration evaluationGrace() {
        Duration tenth = roundDeadline.dividedBy(10);
        Duration cap = Duration.ofSeconds(5);
        return tenth.compareTo(cap) < 0 ? (tenth.isZero() ? Duration.ofMillis(1) : tenth) : cap;
    }
}
