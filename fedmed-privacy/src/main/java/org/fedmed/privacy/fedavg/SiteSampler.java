package org.fedmed.privacy.fedavg;

import java.util.List;

/**
 * How DP-FedAvg picks the sites of a round, seeded by the run seed and the round so a run is reproducible, and
 * what that means for accounting: the sampling rate q the accountant charges and the expected number of sites the
 * average is divided by. Sampling is what amplifies privacy, so it must be random and independent of the data.
 * Chosen sites are returned in sorted order.
 */
public sealed interface SiteSampler permits PoissonSiteSampler, FixedSizeSiteSampler {

    /** This round's sites, drawn from {@code available}. May be empty for Poisson sampling. */
    List<String> sample(List<String> available, long seed, int round);

    /** The sampling rate q the accountant charges for a round over {@code available} sites. */
    double samplingRate(int available);

    /** The expected number of sites in a round over {@code available} sites: the denominator of the average. */
    double expectedSites(int available);
}
