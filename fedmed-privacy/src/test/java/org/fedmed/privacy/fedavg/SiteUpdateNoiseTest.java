package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.junit.jupiter.api.Test;

/**
 * What DP-FedAvg asks each site to add under local and distributed noise: the full multiplier z for local noise,
 * and for distributed noise its share sized for the fewest updates a released sum can hold ({@code min_fit_sites},
 * capped at the round's expected sites), so that no sum the server can learn has less than the central noise.
 */
class SiteUpdateNoiseTest {

    private static final FitConfig FIT = new FitConfig(1, 8, 0.1, true, 0);

    private static DpFedAvgConfig config(SiteSampler sampler, int population, int minFitSites) {
        return new DpFedAvgConfig(FIT, sampler, population, new ClippingPolicy.Fixed(2.0), 1.5,
                Double.POSITIVE_INFINITY, 1e-5, 10, minFitSites, 1.0);
    }

    private static LocalTerm.UpdateNoise distributed(SiteSampler sampler, int population, int minFitSites) {
        return SiteUpdateNoise.of(config(sampler, population, minFitSites), NoisePlacement.DISTRIBUTED);
    }

    @Test
    void distributedSharesAreSizedForMinFitSitesNotForTheSampledSites() {
        LocalTerm.UpdateNoise term = distributed(new FixedSizeSiteSampler(4), 10, 3);
        assertEquals(3.0, term.shares(), "4 sampled, a round releases with 3: each share is z C / sqrt(3)");
        assertEquals(2.0, term.clipNorm());
        assertEquals(1.5, term.noiseMultiplier());
        assertEquals(1.5 / Math.sqrt(3), term.siteNoiseMultiplier(), 1e-12);
    }

    @Test
    void distributedSharesEqualTheSampledSitesWhenEveryShareMustBeInTheSum() {
        assertEquals(4.0, distributed(new FixedSizeSiteSampler(4), 10, 4).shares());
    }

    @Test
    void distributedSharesAreCappedAtTheExpectedSitesAndAtLeastOne() {
        assertEquals(4.0, distributed(new FixedSizeSiteSampler(4), 10, 9).shares(), "no sum needs more than m");
        assertEquals(1.0, distributed(new FixedSizeSiteSampler(4), 10, 0).shares(), "0 releases any sum: full noise");
        // Poisson sampling at q = 0.25 over 10 sites expects 2.5
        assertEquals(2.5, distributed(new PoissonSiteSampler(0.25), 10, 5).shares());
        assertEquals(2.0, distributed(new PoissonSiteSampler(0.25), 10, 2).shares());
    }

    @Test
    void localNoiseIsTheFullMultiplierAtEverySite() {
        LocalTerm.UpdateNoise term = SiteUpdateNoise.of(config(new FixedSizeSiteSampler(4), 10, 3),
                NoisePlacement.LOCAL);
        assertEquals(1.0, term.shares());
        assertEquals(1.5, term.siteNoiseMultiplier(), 1e-12);
    }

    @Test
    void centralNoiseAsksNoSiteForNoise() {
        assertThrows(IllegalArgumentException.class,
                () -> SiteUpdateNoise.of(config(new FixedSizeSiteSampler(4), 10, 3), NoisePlacement.CENTRAL));
    }
}
