package org.fedmed.secagg;

/** What an in-process round produced: the unmasked sum and who is in it, and what each party spent. */
public record RoundOutcome(SecAggResult result, RoundCosts costs) {
    public RoundOutcome {
        if (result == null || costs == null) {
            throw new IllegalArgumentException("result and costs are required");
        }
    }
}
