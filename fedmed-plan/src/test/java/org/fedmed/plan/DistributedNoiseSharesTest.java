package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.fedmed.core.LocalTerm;
import org.junit.jupiter.api.Test;

/**
 * The noise share each site adds under {@code dp.noise: distributed}, as the server of a deployment asks for it:
 * sized for the fewest masked inputs a released sum can hold, {@code min_fit_sites} raised to secure aggregation's
 * cohort of 3, so that a round with dropouts never releases a sum with less than the central noise.
 */
class DistributedNoiseSharesTest {

    private static final String PLAN = """
            rounds: 3
            min_fit_sites: %d
            dp: {noise: %s, noise_multiplier: 1.2, clip_norm: 1.0, sampling: fixed, sites_per_round: 4,
                 delta: 1.0e-5}
            secure_aggregation: {clip_bound: 4}
            """;

    private static LocalTerm.UpdateNoise askedOfEachSite(int minFitSites, String noise, int population) {
        SimulationConfig c = ConfigLoader.parse(PLAN.formatted(minFitSites, noise), "server.yaml", Map.of());
        return FederatedSetup.forServer(c, PlanSettings.fitConfig(c), population).privacy().siteNoise();
    }

    @Test
    void sharesAreSizedForMinFitSitesWhenRoundsMayCompleteWithoutEverySampledSite() {
        LocalTerm.UpdateNoise term = askedOfEachSite(3, "distributed", 10);
        assertEquals(3.0, term.shares());
        assertEquals(1.2 / Math.sqrt(3), term.siteNoiseMultiplier(), 1e-12);
    }

    @Test
    void aMinFitSitesBelowTheSecureCohortIsRaisedToThree() {
        assertEquals(3.0, askedOfEachSite(1, "distributed", 10).shares(),
                "a secure sum holds at least 3 inputs, so 3 shares are in every released sum");
    }

    @Test
    void sharesAreTheSampledSitesWhenEveryOneMustBeInTheSum() {
        assertEquals(4.0, askedOfEachSite(4, "distributed", 10).shares());
        assertEquals(4.0, askedOfEachSite(7, "distributed", 10).shares(), "no sum holds more than the 4 sampled");
    }

    @Test
    void localNoiseIsTheFullMultiplierWhateverMinFitSites() {
        LocalTerm.UpdateNoise term = askedOfEachSite(1, "local", 10);
        assertEquals(1.0, term.shares());
        assertEquals(1.2, term.siteNoiseMultiplier(), 1e-12);
    }
}
