package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteSamplerTest {

    private static List<String> sites(int n) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(String.format("site-%03d", i));
        }
        return s;
    }

    @Test
    void poissonSamplingPicksEachSiteWithProbabilityQ() {
        double q = 0.2;
        List<String> all = sites(50);
        int rounds = 400;
        Map<String, Integer> picks = new HashMap<>();
        long total = 0;
        for (int r = 1; r <= rounds; r++) {
            for (String s : new PoissonSiteSampler(q).sample(all, 99, r)) {
                picks.merge(s, 1, Integer::sum);
                total++;
            }
        }
        double draws = (double) all.size() * rounds;
        assertEquals(q * draws, total, 5 * Math.sqrt(draws * q * (1 - q)), "overall frequency");
        for (String s : all) {
            int k = picks.getOrDefault(s, 0);
            assertEquals(q * rounds, k, 5 * Math.sqrt(rounds * q * (1 - q)), s);
        }
        assertEquals(q * 50, new PoissonSiteSampler(q).expectedSites(50), 1e-12);
        assertEquals(q, new PoissonSiteSampler(q).samplingRate(50));
    }

    @Test
    void poissonRoundSizesVary() {
        var sizes = new HashSet<Integer>();
        for (int r = 1; r <= 50; r++) {
            sizes.add(new PoissonSiteSampler(0.3).sample(sites(20), 1, r).size());
        }
        assertTrue(sizes.size() > 3, "sizes seen: " + sizes);
    }

    @Test
    void fixedSizeSamplingPicksExactlyMDistinctSitesInSortedOrder() {
        List<String> all = sites(30);
        FixedSizeSiteSampler sampler = new FixedSizeSiteSampler(7);
        for (int r = 1; r <= 100; r++) {
            List<String> chosen = sampler.sample(all, 5, r);
            assertEquals(7, chosen.size());
            assertEquals(7, new HashSet<>(chosen).size());
            assertEquals(chosen.stream().sorted().toList(), chosen);
            assertTrue(all.containsAll(chosen));
        }
        assertEquals(7.0 / 30, sampler.samplingRate(30), 1e-15);
        assertEquals(7, sampler.expectedSites(30));
        assertEquals(4, sampler.sample(sites(4), 5, 1).size());
        assertEquals(1.0, sampler.samplingRate(4));
    }

    @Test
    void fixedSizeSamplingIsUniformOverSites() {
        List<String> all = sites(10);
        Map<String, Integer> picks = new HashMap<>();
        int rounds = 2000;
        for (int r = 1; r <= rounds; r++) {
            for (String s : new FixedSizeSiteSampler(3).sample(all, 8, r)) {
                picks.merge(s, 1, Integer::sum);
            }
        }
        double p = 0.3;
        for (String s : all) {
            assertEquals(p * rounds, picks.get(s), 5 * Math.sqrt(rounds * p * (1 - p)), s);
        }
    }

    @Test
    void samplesAreReproducibleFromSeedAndRoundAndIgnoreInputOrder() {
        List<String> all = sites(40);
        List<String> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        for (SiteSampler s : List.<SiteSampler>of(new PoissonSiteSampler(0.25), new FixedSizeSiteSampler(10))) {
            assertEquals(s.sample(all, 42, 3), s.sample(reversed, 42, 3));
            assertNotEquals(s.sample(all, 42, 3), s.sample(all, 42, 4));
            assertNotEquals(s.sample(all, 42, 3), s.sample(all, 43, 3));
        }
    }
}
