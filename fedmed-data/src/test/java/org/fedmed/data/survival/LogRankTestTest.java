package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogRankTestTest {

    private static final TimeBins TWO = TimeBins.uniform(1, 2);

    private static boolean[] flags(int... e) {
        boolean[] b = new boolean[e.length];
        for (int i = 0; i < e.length; i++) {
            b[i] = e[i] == 1;
        }
        return b;
    }

    /**
     * Group A: 5 rows, bin 0 two events, bin 1 (3 at risk) one event and 2 censored; group B: 5 rows, bin 0 one
     * censored, bin 1 (4 at risk) one event and 3 censored. By hand: E1 = 2 * 5/10 + 2 * 3/7 = 13/7, O1 = 3,
     * V = 2 (1/2)(1/2) 8/9 + 2 (3/7)(4/7) 5/6 = 4/9 + 20/49 = 376/441, chi-square = (8/7)^2 / V = 576/376.
     */
    @Test
    void handComputedStatisticAndPValue() {
        SurvivalRelease a = SurvivalRelease.of("s", "A", new double[] {0.1, 0.2, 1.1, 1.2, 1.3}, flags(1, 1, 1, 0, 0),
                TWO, 1);
        SurvivalRelease b = SurvivalRelease.of("s", "B", new double[] {0.5, 1.1, 1.2, 1.3, 1.4}, flags(0, 1, 0, 0, 0),
                TWO, 1);
        LogRankTest t = LogRankTest.of(List.of(a), List.of(b));
        assertEquals(3, t.observedFirst());
        assertEquals(13.0 / 7, t.expectedFirst(), 1e-15);
        assertEquals(1, t.observedSecond());
        assertEquals(4 - 13.0 / 7, t.expectedSecond(), 1e-15);
        assertEquals(376.0 / 441, t.variance(), 1e-15);
        assertEquals(576.0 / 376, t.chiSquare(), 1e-14);
        // scipy.stats.logrank on these rows: statistic 1.237705495510552 (its square is the chi-square), p below
        assertEquals(1.237705495510552 * 1.237705495510552, t.chiSquare(), 1e-12);
        assertEquals(0.21582528071600915, t.pValue(), 1e-13);
        assertEquals("A", t.firstGroup());
    }

    @Test
    void identicalGroupsGiveChiSquareZeroAndPValueOne() {
        double[] times = {0.1, 0.4, 1.2, 1.5, 0.3, 1.9};
        boolean[] events = flags(1, 0, 1, 1, 1, 0);
        LogRankTest t = LogRankTest.of(List.of(SurvivalRelease.of("s", "A", times, events, TWO, 1)),
                List.of(SurvivalRelease.of("s", "B", times, events, TWO, 1)));
        assertEquals(0, t.chiSquare(), 1e-15);
        assertEquals(1, t.pValue(), 1e-15);
    }

    @Test
    void aSiteThatWithheldOneGroupIsLeftOutOfBoth() {
        SurvivalRelease a1 = SurvivalRelease.of("s1", "A", new double[] {0.1, 0.2, 1.1, 1.2, 1.3}, flags(1, 1, 1, 0, 0),
                TWO, 1);
        SurvivalRelease b1 = SurvivalRelease.of("s1", "B", new double[] {0.5, 1.1, 1.2, 1.3, 1.4},
                flags(0, 1, 0, 0, 0), TWO, 1);
        SurvivalRelease a2 = SurvivalRelease.of("s2", "A", new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 1.5},
                flags(1, 1, 1, 1, 1, 0), TWO, 1);
        SurvivalRelease b2 = new SurvivalRelease.Withheld("s2", "B", 5, "the group has fewer than k = 5 rows");
        LogRankTest t = LogRankTest.of(List.of(a1, a2), List.of(b1, b2));
        assertEquals(List.of("s1"), t.sites());
        assertEquals(List.of("s2"), t.withheld());
        assertEquals(576.0 / 376, t.chiSquare(), 1e-14);
    }

    @Test
    void releasesOfOneGroupMustNameOneGroup() {
        SurvivalRelease a = SurvivalRelease.of("s1", "A", new double[] {0.1, 1.1}, flags(1, 0), TWO, 1);
        SurvivalRelease b = SurvivalRelease.of("s2", "B", new double[] {0.1, 1.1}, flags(1, 0), TWO, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogRankTest.of(List.of(a, b), List.of(b)));
        assertTrue(e.getMessage().contains("'A' and 'B'"), e.getMessage());
    }
}
