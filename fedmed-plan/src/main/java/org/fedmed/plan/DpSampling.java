package org.fedmed.plan;

/** How DP-FedAvg samples the sites of a round ({@code dp.sampling}). */
public enum DpSampling {
    /** Exactly {@code dp.sites_per_round} sites, drawn without replacement; accounted at q = m / N. */
    FIXED,
    /** Each site independently with probability {@code dp.sample_rate}; the accounting is exact. */
    POISSON
}
