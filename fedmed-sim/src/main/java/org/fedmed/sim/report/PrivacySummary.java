package org.fedmed.sim.report;

import java.util.List;

/**
 * What a differentially private run spent: the mechanism, its parameters, and epsilon at {@code delta} after
 * every round (with the clip norm used), as computed by the Renyi DP accountant.
 */
public record PrivacySummary(String mechanism, double noiseMultiplier, double delta, Double targetEpsilon,
                             double epsilon, List<Round> rounds) {

    /** One round's sampling rate, clip norm and cumulative epsilon. */
    public record Round(int round, int sitesSampled, double samplingRate, double clipNorm, double epsilon) {
    }
}
