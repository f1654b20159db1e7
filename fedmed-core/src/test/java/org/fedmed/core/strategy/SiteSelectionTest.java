package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SiteSelectionTest {

    final List<String> sites = IntStream.range(0, 20).mapToObj(i -> "site" + i).toList();

    @Test
    void fractionSamplesCeilingOfCTimesAvailableSites() {
        assertEquals(5, SiteSelection.fraction(0.21, 1).sample(sites, 1, 1).size());
        assertEquals(20, SiteSelection.all(1).sample(sites, 1, 1).size());
    }

    @Test
    void countSamplesExactlyMButNeverBelowTheMinimum() {
        assertEquals(3, SiteSelection.count(3, 1).sample(sites, 1, 1).size());
        assertEquals(6, SiteSelection.count(3, 6).sample(sites, 1, 1).size());
    }

    @Test
    void sameSeedAndRoundGiveTheSameSitesAndRoundsDiffer() {
        SiteSelection s = SiteSelection.count(5, 1);
        assertEquals(s.sample(sites, 42, 3), s.sample(sites, 42, 3));
        Set<List<String>> distinct = new HashSet<>();
        for (int r = 1; r <= 10; r++) distinct.add(s.sample(sites, 42, r));
        assertTrue(distinct.size() > 5, "draws should vary across rounds: " + distinct.size());
    }

    @Test
    void everySiteIsDrawnAtRoughlyTheSampledRate() {
        SiteSelection s = SiteSelection.fraction(0.25, 1);
        int[] hits = new int[20];
        for (int r = 1; r <= 2000; r++) {
            for (String id : s.sample(sites, 9, r)) hits[Integer.parseInt(id.substring(4))]++;
        }
        for (int h : hits) assertEquals(500, h, 75);
    }

    @Test
    void tooFewAvailableSitesIsAnErrorNamingMinFitSites() {
        var e = assertThrows(IllegalStateException.class, () -> SiteSelection.all(3).sample(List.of("a", "b"), 1, 1));
        assertTrue(e.getMessage().contains("min_fit_sites"), e.getMessage());
    }

    @Test
    void invalidFractionNamesTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> SiteSelection.fraction(1.5, 1));
        assertTrue(e.getMessage().contains("fraction"));
    }
}
