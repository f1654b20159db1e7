package org.fedmed.privacy.fedavg;

/**
 * What one DP-FedAvg round spent: how many sites were sampled, at which rate, with which noise multiplier and clip
 * norm, and the cumulative (epsilon, delta) of the run after the round.
 */
public record RoundPrivacy(int round, int sitesSampled, double samplingRate, double noiseMultiplier, double clipNorm,
                           double epsilon, double delta) {
}
