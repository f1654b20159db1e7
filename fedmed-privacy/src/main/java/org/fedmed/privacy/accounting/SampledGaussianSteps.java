package org.fedmed.privacy.accounting;

/** A run of {@code steps} identical steps of the sampled Gaussian mechanism, as composed into an accountant. */
public record SampledGaussianSteps(double samplingRate, double noiseMultiplier, long steps) {
    public SampledGaussianSteps {
        SampledGaussianRdp.checkMechanism(samplingRate, noiseMultiplier);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
    }
}
