package org.fedmed.privacy.accounting;

/**
 * An (epsilon, delta) differential privacy guarantee and the Renyi order it was derived at. Epsilon is
 * {@code +Infinity} (and the order NaN) when no order gives a finite bound, for instance without noise.
 */
public record PrivacySpent(double epsilon, double delta, double order) {

    public PrivacySpent {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        checkDelta(delta);
    }

    static void checkDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
    }

    @Override
    public String toString() {
        return "(epsilon = " + epsilon + ", delta = " + delta + ") at Renyi order " + order;
    }
}
