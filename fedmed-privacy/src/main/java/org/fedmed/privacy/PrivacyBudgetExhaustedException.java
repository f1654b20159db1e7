package org.fedmed.privacy;

/**
 * Raised when a round or a local training is asked for that would spend more privacy than the budget allows;
 * nothing was spent. A coordinator that asks {@code Strategy.stopBefore} before each round never sees it.
 */
public class PrivacyBudgetExhaustedException extends IllegalStateException {
    public PrivacyBudgetExhaustedException(String message) {
        super(message);
    }
}
