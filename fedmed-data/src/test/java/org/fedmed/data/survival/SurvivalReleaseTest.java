package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.stats.SmallCells;
import org.junit.jupiter.api.Test;

class SurvivalReleaseTest {

    private static final TimeBins FOUR = TimeBins.uniform(1, 4);

    private static boolean[] flags(int... e) {
        boolean[] b = new boolean[e.length];
        for (int i = 0; i < e.length; i++) {
            b[i] = e[i] == 1;
        }
        return b;
    }

    @Test
    void withKOneEveryBinIsReleasedAsCounted() {
        // bins [0,1) [1,2) [2,3) [3,4): events 2, 1, 0, 1; censored 1, 0, 2, 1 (the 5.5 row after the last edge)
        double[] t = {0.5, 0.2, 0.9, 1.5, 2.1, 2.7, 3.3, 5.5};
        boolean[] e = flags(1, 1, 0, 1, 0, 0, 1, 1);
        SurvivalCounts c = assertInstanceOf(SurvivalCounts.class, SurvivalRelease.of("a", "all", t, e, FOUR, 1));
        assertArrayEquals(new int[] {0, 1, 2, 3}, c.starts());
        assertArrayEquals(new long[] {8, 5, 4, 2}, c.atRisk());
        assertArrayEquals(new long[] {2, 1, 0, 1}, c.events());
        assertArrayEquals(new long[] {1, 0, 2, 1}, c.censored());
    }

    @Test
    void anEventAfterTheLastEdgeCountsAsCensoredThere() {
        SurvivalCounts c = assertInstanceOf(SurvivalCounts.class,
                SurvivalRelease.of("a", "all", new double[] {4.0, 9.0}, flags(1, 1), FOUR, 1));
        assertArrayEquals(new long[] {0, 0, 0, 0}, c.events());
        assertArrayEquals(new long[] {0, 0, 0, 2}, c.censored());
    }

    @Test
    void aBinWithFewerThanKEventsIsMergedWithItsNeighbourInTheBinTree() {
        // k 3. Per bin (events, censored): (3, 0), (1, 3), (2, 0), (3, 3). The tree pairs bins 0+1 and 2+3: bin 1
        // (1 event) and bin 2 (2 events) cannot stand alone, so each pair becomes one bin, (4, 3) and (5, 3).
        double[] t = {0.1, 0.2, 0.3, 1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6};
        boolean[] e = flags(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0);
        SurvivalCounts c = assertInstanceOf(SurvivalCounts.class, SurvivalRelease.of("a", "all", t, e, FOUR, 3));
        assertArrayEquals(new int[] {0, 2}, c.starts());
        assertArrayEquals(new long[] {15, 8}, c.atRisk());
        assertArrayEquals(new long[] {4, 5}, c.events());
        assertArrayEquals(new long[] {3, 3}, c.censored());
        assertArrayEquals(new double[] {0, 2, 4}, c.mergedBins().edges());
    }

    @Test
    void aHalfThatCannotBeReleasedMergesTheWholeRangeAboveIt() {
        // k 3. (events, censored): (3, 3), (0, 0), (3, 0), (1, 2). Bins 0 and 1 stand alone, bin 3 does not, and
        // bins 2+3 hold (4, 2): the right half fails, so the whole range [0, 4) becomes one bin, (7, 5)
        double[] t = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3};
        boolean[] e = flags(1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0);
        SurvivalCounts c = assertInstanceOf(SurvivalCounts.class, SurvivalRelease.of("a", "all", t, e, FOUR, 3));
        assertArrayEquals(new int[] {0}, c.starts());
        assertArrayEquals(new long[] {7}, c.events());
        assertArrayEquals(new long[] {5}, c.censored());
        // with 3 censored rows in the last bin instead, bins 2+3 hold (4, 3) and bin 1 (empty) stands alone
        double[] t2 = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 3.4};
        boolean[] e2 = flags(1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0);
        SurvivalCounts c2 = assertInstanceOf(SurvivalCounts.class, SurvivalRelease.of("a", "all", t2, e2, FOUR, 3));
        assertArrayEquals(new int[] {0, 1, 2}, c2.starts());
        assertArrayEquals(new long[] {3, 0, 4}, c2.events());
        assertArrayEquals(new long[] {3, 0, 3}, c2.censored());
    }

    @Test
    void aHalfThatCannotBeReleasedIsJoinedToTheNearestBinsOfTheOtherHalf() {
        // k 3. (events, censored): (3, 3), (3, 3), (1, 1), (1, 1). The right half [2, 4) cannot be released in any
        // split, (2, 2); joined to bin 1 it gives (5, 5), and bin 0 stays on its own (the whole range need not merge)
        double[] t = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 2.1, 2.2, 3.5, 3.6};
        boolean[] e = flags(1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1);
        SurvivalCounts c = assertInstanceOf(SurvivalCounts.class, SurvivalRelease.of("a", "all", t, e, FOUR, 3));
        assertArrayEquals(new int[] {0, 1}, c.starts());
        assertArrayEquals(new long[] {16, 10}, c.atRisk());
        assertArrayEquals(new long[] {3, 5}, c.events());
        assertArrayEquals(new long[] {3, 5}, c.censored());
    }

    @Test
    void aGroupWithFewerThanKRowsOrFewerThanKEventsReleasesNothing() {
        SurvivalRelease few = SurvivalRelease.of("a", "treated", new double[] {1, 2, 3}, flags(1, 1, 0), FOUR, 5);
        SurvivalRelease.Withheld w = assertInstanceOf(SurvivalRelease.Withheld.class, few);
        assertTrue(w.reason().contains("fewer than k = 5 rows"), w.reason());
        double[] t = new double[12];
        boolean[] e = new boolean[12];
        for (int i = 0; i < 12; i++) {
            t[i] = i * 0.3;
            e[i] = i < 2;
        }
        SurvivalRelease.Withheld w2 = assertInstanceOf(SurvivalRelease.Withheld.class,
                SurvivalRelease.of("a", "all", t, e, FOUR, 5));
        assertTrue(w2.reason().contains("events"), w2.reason());
    }

    @Test
    void everyReleasedCountIsZeroOrAtLeastKOnRandomSites() {
        SplittableRandom rng = new SplittableRandom(17);
        TimeBins bins = TimeBins.uniform(0.1, 40);
        int released = 0;
        for (int trial = 0; trial < 200; trial++) {
            long k = 1 + rng.nextInt(11);
            int n = rng.nextInt(150);
            double[] t = new double[n];
            boolean[] e = new boolean[n];
            for (int i = 0; i < n; i++) {
                t[i] = rng.nextDouble() * 4.5;
                e[i] = rng.nextInt(3) > 0;
            }
            SurvivalRelease r = SurvivalRelease.of("s", "all", t, e, bins, k);
            if (r instanceof SurvivalCounts c) {
                released++;
                assertEquals(n, c.rows());
                for (long[] line : List.of(c.atRisk(), c.events(), c.censored())) {
                    for (long v : line) {
                        assertTrue(SmallCells.releasable(v, k), "k " + k + ": " + c);
                    }
                }
            }
        }
        assertTrue(released > 100, released + " of 200 random sites released counts");
    }

    @Test
    void aTimeBeforeTheFirstEdgeIsRefusedNamingHowManyRowsNotTheirTimes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SurvivalRelease.of("north",
                "all", new double[] {-2.5, 1, 2}, flags(1, 0, 1), FOUR, 1));
        assertTrue(e.getMessage().contains("site 'north'") && e.getMessage().contains("1 row(s)"), e.getMessage());
        assertTrue(!e.getMessage().contains("2.5"), e.getMessage());
    }

    @Test
    void countsThatBreakTheRuleOrDoNotAddUpAreRefusedNamingTheSiteAndBin() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new SurvivalCounts("b",
                "all", 5, FOUR, new int[] {0, 2}, new long[] {12, 6}, new long[] {3, 6}, new long[] {3, 0}));
        assertTrue(small.getMessage().contains("site 'b'") && small.getMessage().contains("bin 0")
                && small.getMessage().contains("count of 3"), small.getMessage());
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> new SurvivalCounts("b",
                "all", 1, FOUR, new int[] {0, 2}, new long[] {12, 7}, new long[] {3, 6}, new long[] {3, 1}));
        assertTrue(sum.getMessage().contains("6 should be at risk in bin 1, got 7"), sum.getMessage());
    }

    @Test
    void groupsAreReleasedSeparately() {
        List<SurvivalRelease> r = SurvivalRelease.byGroup("a", new double[] {0.5, 1.5, 2.5, 0.7},
                flags(1, 0, 1, 1), new int[] {0, 1, 0, 1}, List.of("control", "treated"), FOUR, 1);
        assertEquals(List.of("control", "treated"), r.stream().map(SurvivalRelease::group).toList());
        assertEquals(2, ((SurvivalCounts) r.get(0)).rows());
        assertArrayEquals(new long[] {1, 0, 0, 0}, ((SurvivalCounts) r.get(1)).events());
    }
}
