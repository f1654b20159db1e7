package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.strategy.SortedSiteIds;
import org.junit.jupiter.api.Test;

/** DP-FedAvg's samplers over a population view: only the drawn ids are read, and q is accounted as before. */
class PopulationSiteSamplingTest {

    private static SortedSiteIds counted(int n, AtomicInteger reads) {
        return SortedSiteIds.computed(n, i -> {
            reads.incrementAndGet();
            return String.format("site-%07d", i);
        }, id -> Integer.parseInt(id.substring(5)));
    }

    @Test
    void fixedSizeDrawsAThousandOfAMillionReadingOnlyThoseAndChargesMOverN() {
        AtomicInteger reads = new AtomicInteger();
        SortedSiteIds ids = counted(1_000_000, reads);
        FixedSizeSiteSampler s = new FixedSizeSiteSampler(1000);
        List<String> round = s.sample(ids, 3, 1);
        assertEquals(1000, round.size());
        assertEquals(1000, reads.get());
        assertEquals(1000, round.stream().distinct().count());
        assertEquals(round, s.sample(ids, 3, 1));
        assertNotEquals(round, s.sample(ids, 3, 2));
        assertEquals(0.001, s.samplingRate(ids.size()), 1e-15);
    }

    @Test
    void fixedSizeDrawsTheSameSitesFromAViewAsFromAListOfTheSameIds() {
        List<String> ids = java.util.stream.IntStream.range(0, 500).mapToObj(i -> String.format("site-%07d", i))
                .toList();
        FixedSizeSiteSampler s = new FixedSizeSiteSampler(37);
        for (int round = 1; round <= 5; round++) {
            assertEquals(s.sample(ids, 9, round), s.sample(counted(500, new AtomicInteger()), 9, round), "round " + round);
        }
    }

    @Test
    void poissonDrawsAboutQNReadingOnlyThoseAndChargesQ() {
        AtomicInteger reads = new AtomicInteger();
        SortedSiteIds ids = counted(1_000_000, reads);
        PoissonSiteSampler s = new PoissonSiteSampler(0.001);
        List<String> round = s.sample(ids, 3, 1);
        // 1000 expected, sd about 32
        assertTrue(round.size() > 850 && round.size() < 1150, "sites drawn " + round.size());
        assertEquals(round.size(), reads.get());
        assertEquals(round, s.sample(ids, 3, 1));
        assertEquals(0.001, s.samplingRate(ids.size()), 0);
        assertEquals(1000, s.expectedSites(ids.size()), 1e-9);
    }
}
