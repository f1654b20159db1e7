package org.fedmed.core.engine;

/**
 * When a run ends: after {@code maxRounds}, or earlier once the federated evaluation loss has not improved by
 * more than {@code minDelta} for {@code patience} rounds in a row (patience 0 turns the convergence check off).
 */
public record StoppingRule(int maxRounds, int patience, double minDelta) {
    public StoppingRule {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + maxRounds);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("min_delta must be >= 0, got " + minDelta);
        }
    }

    public static StoppingRule rounds(int maxRounds) {
        return new StoppingRule(maxRounds, 0, 0);
    }
}
