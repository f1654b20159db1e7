package org.fedmed.privacy.fedavg;

/**
 * Where DP-FedAvg's Gaussian noise is added. {@code CENTRAL}: the server adds noise of standard deviation
 * z C / (expected sites) to the clipped average, so sites must trust it with their clipped updates.
 * {@code LOCAL}: each site clips its own delta and adds noise of standard deviation z C before the update leaves
 * it ({@link LocalGaussianNoise}), so no one, the server included, sees an un-noised update; the server then
 * only averages. {@code DISTRIBUTED}: each of the m expected sites adds its share, noise of standard deviation
 * z C / sqrt(m), so that the sum carries exactly the central mechanism's noise; meant for use under secure
 * aggregation, where the server only ever sees that sum. Central and distributed noise give the same
 * (epsilon, delta) (distributed assumes the sampled sites all deliver and add their share honestly); local noise
 * gives each site that guarantee against everyone, at the cost of sqrt(m) times more noise in the average.
 */
public enum NoisePlacement {
    CENTRAL,
    LOCAL,
    DISTRIBUTED
}
