package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

/** FedAvg's over-selection: how many sites it samples, and how many results it waits for. */
class FederatedAveragingOverSelectionTest {

    static final FitConfig FIT = new FitConfig(1, 8, 0.1, false, 0);
    static final ModelParameters GLOBAL = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[2])));

    static FederatedAveraging fedavg(SiteSelection selection, double overSelection) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, selection, FIT, 1.0, overSelection);
    }

    static List<String> sites(int n) {
        return IntStream.range(0, n).mapToObj(i -> "site" + i).toList();
    }

    /** The results {@code s} waits for when it selected {@code selected} of {@code available} sites. */
    static int wanted(Strategy s, int available, int selected) {
        return s.fitResultsWanted(new RoundContext(1, GLOBAL, sites(available), 0), selected);
    }

    static List<String> chosen(Strategy s, int available, long seed, int round) {
        return s.configureFit(new RoundContext(round, GLOBAL, sites(available), seed)).stream().map(FitTask::siteId).toList();
    }

    @Test
    void halfAgainSamplesThreeOfFourSitesWhenTwoAreWantedAndWaitsForTwo() {
        FederatedAveraging s = fedavg(SiteSelection.count(2, 1), 0.5);
        for (int round = 1; round <= 20; round++) {
            List<String> cohort = chosen(s, 4, 11, round);
            assertEquals(3, cohort.size(), "round " + round + ": " + cohort);
            assertEquals(2, wanted(s, 4, cohort.size()));
        }
    }

    @Test
    void overSelectedCohortContainsTheSitesDrawnWithoutIt() {
        SiteSelection selection = SiteSelection.fraction(0.3, 1);
        FederatedAveraging plain = fedavg(selection, 0);
        FederatedAveraging over = fedavg(selection, 0.5);
        for (int round = 1; round <= 20; round++) {
            List<String> k = chosen(plain, 10, 3, round);
            List<String> more = chosen(over, 10, 3, round);
            assertEquals(3, k.size());
            assertEquals(5, more.size());
            assertTrue(more.containsAll(k), "round " + round + ": " + more + " lacks some of " + k);
            assertEquals(3, wanted(over, 10, more.size()));
        }
    }

    @Test
    void zeroOverSelectionGivesTheSameTasksAsTheOriginalConstructor() {
        SiteSelection selection = SiteSelection.fraction(0.4, 2);
        FederatedAveraging original = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, selection, FIT, 1.0);
        FederatedAveraging zero = fedavg(selection, 0.0);
        for (long seed = 0; seed < 5; seed++) {
            for (int round = 1; round <= 10; round++) {
                RoundContext c = new RoundContext(round, GLOBAL, sites(9), seed);
                List<FitTask> a = original.configureFit(c);
                List<FitTask> b = zero.configureFit(c);
                assertEquals(a.stream().map(t -> t.siteId() + "/" + t.config()).toList(),
                        b.stream().map(t -> t.siteId() + "/" + t.config()).toList());
                assertEquals(a.size(), wanted(zero, 9, b.size()), "waits for every site");
                assertEquals(a.size(), wanted(original, 9, a.size()));
            }
        }
    }

    @Test
    void drawCappedAtEveryAvailableSiteWaitsForTheSitesTheSelectionWants() {
        FederatedAveraging all = fedavg(SiteSelection.all(1), 0.5);
        assertEquals(4, chosen(all, 4, 1, 1).size());
        assertEquals(4, wanted(all, 4, 4), "k is every site: nothing to cut");

        FederatedAveraging threeOfFour = fedavg(SiteSelection.count(3, 1), 1.0);
        assertEquals(4, chosen(threeOfFour, 4, 1, 1).size(), "ceil(3 * 2) = 6, capped at 4");
        assertEquals(3, wanted(threeOfFour, 4, 4));
    }

    @Test
    void tenPercentOfTenIsOneMoreSiteDespiteFloatingPoint() {
        FederatedAveraging s = fedavg(SiteSelection.count(10, 1), 0.1);
        assertEquals(11, chosen(s, 20, 1, 1).size());
        assertEquals(10, wanted(s, 20, 11));
    }

    @Test
    void minFitSitesRaisesKBeforeItIsOverSelected() {
        FederatedAveraging s = fedavg(SiteSelection.count(1, 3), 2.0);
        List<String> cohort = chosen(s, 20, 1, 1);
        assertEquals(9, cohort.size(), "k is raised to min_fit_sites 3, then tripled");
        assertEquals(3, wanted(s, 20, cohort.size()));
    }

    @Test
    void negativeOrNonFiniteOverSelectionIsRefusedNamingTheKey() {
        for (double bad : new double[]{-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> fedavg(SiteSelection.all(1), bad));
            assertTrue(e.getMessage().contains("over_selection"), e.getMessage());
        }
    }
}
