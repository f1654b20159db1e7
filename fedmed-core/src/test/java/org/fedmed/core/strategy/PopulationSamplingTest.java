package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

/** Sampling a round's sites from a population offered as a {@link SortedSiteIds} view, without listing it. */
class PopulationSamplingTest {

    /** A view of {@code n} ids {@code v0000000..} that counts the ids computed and refuses to be iterated. */
    static final class CountingIds extends SortedSiteIds {
        final int n;
        final AtomicInteger reads = new AtomicInteger();

        CountingIds(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public String get(int index) {
            reads.incrementAndGet();
            return String.format("v%07d", index);
        }

        @Override
        public int position(String siteId) {
            int i = Integer.parseInt(siteId.substring(1));
            return i < n ? i : -1;
        }

        @Override
        public Iterator<String> iterator() {
            throw new AssertionError("the population view was iterated");
        }

        @Override
        public ListIterator<String> listIterator(int index) {
            throw new AssertionError("the population view was iterated");
        }

        @Override
        public Object[] toArray() {
            throw new AssertionError("the population view was copied");
        }
    }

    private static ModelParameters model() {
        return ModelParameters.of(List.of(new Tensor("w", new int[] {2}, new float[] {0, 0})));
    }

    @Test
    void aRoundOfAThousandFromAMillionSitesReadsOnlyTheIdsItDraws() {
        CountingIds population = new CountingIds(1_000_000);
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(1000, 1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
        RoundContext context = new RoundContext(3, model(), population, 42);

        assertSame(population, context.availableSites(), "the context keeps the view, it does not copy it");
        List<FitTask> tasks = fedavg.configureFit(context);
        assertEquals(1000, fedavg.fitResultsWanted(context, tasks.size()));
        fedavg.newAggregator(context);

        assertEquals(1000, tasks.size());
        assertEquals(1000, population.reads.get(), "ids computed");
        assertEquals(1000, tasks.stream().map(FitTask::siteId).distinct().count());
        for (int i = 1; i < tasks.size(); i++) {
            assertTrue(tasks.get(i - 1).siteId().compareTo(tasks.get(i).siteId()) < 0, "tasks in site order");
        }
    }

    @Test
    void populationDrawsAreReproduciblePerRoundAndDifferAcrossRounds() {
        SiteSelection s = SiteSelection.count(50, 1);
        CountingIds ids = new CountingIds(1_000_000);
        assertEquals(s.sample(ids, 7, 2), s.sample(ids, 7, 2));
        assertNotEquals(s.sample(ids, 7, 2), s.sample(ids, 7, 3));
        assertNotEquals(s.sample(ids, 7, 2), s.sample(ids, 8, 2));
    }

    @Test
    void fixedSizeDrawsEveryPositionAlikeByAChiSquareWithALiteralBound() {
        int n = 100;
        int k = 10;
        int draws = 20_000;
        SplittableRandom rng = new SplittableRandom(5);
        long[] hits = new long[n];
        for (int d = 0; d < draws; d++) {
            int[] at = IndexSampling.fixedSize(n, k, rng);
            assertEquals(k, at.length);
            for (int i = 0; i < k; i++) {
                assertTrue(i == 0 || at[i] > at[i - 1], "ascending and distinct");
                hits[at[i]]++;
            }
        }
        double expected = (double) draws * k / n;
        // 99 degrees of freedom: mean 99, sd 14; the 99.99th percentile is about 160
        assertTrue(chiSquare(hits, expected) < 160, "chi-square " + chiSquare(hits, expected));
        long[] biased = hits.clone();
        biased[0] += 400;
        biased[1] -= 400;
        assertTrue(chiSquare(biased, expected) > 160, "control: a bias of 400 draws fails the bound");
    }

    @Test
    void aLargerFixedSizeDrawWithTheSameSeedHoldsTheSmallerOne() {
        for (long seed = 1; seed <= 20; seed++) {
            int[] small = IndexSampling.fixedSize(1_000_000, 10, new SplittableRandom(seed));
            int[] large = IndexSampling.fixedSize(1_000_000, 11, new SplittableRandom(seed));
            assertTrue(java.util.Arrays.stream(small).allMatch(p -> java.util.Arrays.binarySearch(large, p) >= 0),
                    "seed " + seed + ": " + java.util.Arrays.toString(small) + " within "
                            + java.util.Arrays.toString(large));
        }
        FederatedAveraging overSelecting = new FederatedAveraging("fedavg", SiteWeighting.SAMPLE_COUNT,
                SiteSelection.count(10, 1), new FitConfig(1, 8, 0.1, false, 0), ServerOptimizerSettings.sgd(1.0), 0.5,
                new org.fedmed.core.strategy.robust.AggregationRule.Mean(), 0);
        FederatedAveraging exact = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(10, 1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
        RoundContext c = new RoundContext(4, model(), new CountingIds(1_000_000), 3);
        List<String> fifteen = overSelecting.configureFit(c).stream().map(FitTask::siteId).toList();
        List<String> ten = exact.configureFit(c).stream().map(FitTask::siteId).toList();
        assertEquals(15, fifteen.size());
        assertTrue(fifteen.containsAll(ten), "over-selection keeps the sites drawn without it");
    }

    @Test
    void poissonTakesEveryPositionAtRateQByAChiSquareWithALiteralBound() {
        int n = 200;
        double q = 0.05;
        int draws = 4000;
        SplittableRandom rng = new SplittableRandom(6);
        long[] hits = new long[n];
        long total = 0;
        for (int d = 0; d < draws; d++) {
            int[] at = IndexSampling.poisson(n, q, rng);
            for (int i = 0; i < at.length; i++) {
                assertTrue(i == 0 || at[i] > at[i - 1], "ascending and distinct");
                hits[at[i]]++;
            }
            total += at.length;
        }
        double expected = draws * q;
        double chi = 0;
        for (long h : hits) {
            chi += (h - expected) * (h - expected) / (expected * (1 - q));
        }
        // 200 degrees of freedom: mean 200, sd 20; the 99.99th percentile is about 280
        assertTrue(chi < 290, "chi-square " + chi);
        assertEquals(n * q * draws, total, 0.02 * n * q * draws);
    }

    @Test
    void fixedSizeTakesEverythingWhenAskedForAtLeastThePopulation() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, IndexSampling.fixedSize(4, 4, new SplittableRandom(1)));
        assertArrayEquals(new int[] {0, 1, 2}, IndexSampling.fixedSize(3, 10, new SplittableRandom(1)));
        assertArrayEquals(new int[] {}, IndexSampling.fixedSize(0, 3, new SplittableRandom(1)));
        assertArrayEquals(new int[] {0, 1, 2}, IndexSampling.poisson(3, 1.0, new SplittableRandom(1)));
    }

    @Test
    void aViewLessSomeIdsSkipsThemByPositionWithoutIterating() {
        CountingIds ids = new CountingIds(10);
        SortedSiteIds less = ids.without(Set.of("v0000000", "v0000004", "v0000009", "v0000099"));
        assertEquals(7, less.size());
        assertEquals(List.of("v0000001", "v0000002", "v0000003", "v0000005", "v0000006", "v0000007", "v0000008"),
                less.at(new int[] {0, 1, 2, 3, 4, 5, 6}));
        assertEquals(3, less.indexOf("v0000005"));
        assertFalse(less.contains("v0000004"));
        assertEquals(List.of("b", "c"), SortedSiteIds.except(List.of("a", "b", "c"), Set.of("a")));
        assertEquals(List.of("a", "b"), SortedSiteIds.of(List.of("b", "a", "b")).at(new int[] {0, 1}));
    }

    private static double chiSquare(long[] hits, double expected) {
        double chi = 0;
        for (long h : hits) {
            chi += (h - expected) * (h - expected) / expected;
        }
        return chi;
    }
}
