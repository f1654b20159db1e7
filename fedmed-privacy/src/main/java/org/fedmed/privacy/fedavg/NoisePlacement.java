package org.fedmed.privacy.fedavg;

/**
 * Where DP-FedAvg's Gaussian noise is added. {@code CENTRAL}: the server adds noise of standard deviation
 * z C / (expected sites) to the clipped average, so sites must trust it with their clipped updates.
 * {@code LOCAL}: each site clips its own delta and adds noise of standard deviation z C before the update leaves
 * it ({@link LocalGaussianNoise}), so no one, the server included, sees an un-noised update; the server then
 * only averages. Both give each site the same (epsilon, delta) for the same z and sampling rate; local noise
 * costs accuracy, because the average carries sqrt(expected sites) times more noise.
 */
public enum NoisePlacement {
    CENTRAL,
    LOCAL
}
