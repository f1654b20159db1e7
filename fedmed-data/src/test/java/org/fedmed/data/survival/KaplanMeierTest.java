package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KaplanMeierTest {

    private static final TimeBins THREE = TimeBins.uniform(1, 3);

    /**
     * Ten rows: bin 0 holds 2 events and 1 censored row, bin 1 (7 at risk) 1 event and 2 censored, bin 2 (4 at risk)
     * 2 events and 2 censored.
     */
    private static final double[] T = {0.1, 0.2, 0.3, 1.1, 1.2, 1.3, 2.1, 2.2, 2.3, 2.4};
    private static final boolean[] E = {true, true, false, true, false, false, true, true, false, false};

    @Test
    void handComputedCurveVarianceAndBand() {
        KaplanMeier km = KaplanMeier.of(List.of(SurvivalRelease.of("a", "all", T, E, THREE, 1)));
        double s0 = 0.8;
        double s1 = 0.8 * 6 / 7;
        double s2 = s1 * 2 / 4;
        double g0 = 2.0 / (10 * 8);
        double g1 = g0 + 1.0 / (7 * 6);
        double g2 = g1 + 2.0 / (4 * 2);
        assertArrayEquals(new double[] {s0, s1, s2}, km.survival(), 1e-15);
        assertArrayEquals(new double[] {s0 * s0 * g0, s1 * s1 * g1, s2 * s2 * g2}, km.variance(), 1e-15);
        // the log-log band, as lifelines and scipy.stats.ecdf(...).sf.confidence_interval(method='log-log') give it
        assertArrayEquals(new double[] {0.40869078163340417, 0.3045850742018472, 0.054349176916541224}, km.lower(),
                1e-12);
        assertArrayEquals(new double[] {0.9458726458389117, 0.8871484950277077, 0.674727317404226}, km.upper(),
                1e-12);
        assertArrayEquals(new long[] {10, 7, 4}, km.atRisk());
    }

    @Test
    void handComputedActuarialCurveCountsRowsCensoredInABinAtRiskForHalfOfIt() {
        KaplanMeier lt = KaplanMeier.of(PooledSurvivalCounts.pool(List.of(SurvivalRelease.of("a", "all", T, E, THREE,
                1))), SurvivalEstimator.ACTUARIAL, 0.95);
        // effective numbers at risk 10 - 1/2, 7 - 2/2, 4 - 2/2
        double s0 = 1 - 2 / 9.5;
        double s1 = s0 * (1 - 1 / 6.0);
        double s2 = s1 * (1 - 2 / 3.0);
        double g2 = 2 / (9.5 * 7.5) + 1 / (6.0 * 5) + 2 / (3.0 * 1);
        assertArrayEquals(new double[] {s0, s1, s2}, lt.survival(), 1e-15);
        assertEquals(s2 * s2 * g2, lt.variance()[2], 1e-15);
        assertEquals(SurvivalEstimator.ACTUARIAL, lt.estimator());
        assertTrue(lt.survival()[2] < KaplanMeier.of(List.of(SurvivalRelease.of("a", "all", T, E, THREE, 1)))
                .survival()[2], "the Kaplan-Meier product keeps censored rows at risk for the whole bin");
    }

    @Test
    void federatedCountsGiveTheCurveOfThePooledRowsBitForBit() {
        SplittableRandom rng = new SplittableRandom(3);
        TimeBins bins = TimeBins.uniform(0.25, 20);
        List<SurvivalRelease> sites = new ArrayList<>();
        List<Double> allT = new ArrayList<>();
        List<Boolean> allE = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int n = 60 + 40 * s;
            double[] t = new double[n];
            boolean[] e = new boolean[n];
            for (int i = 0; i < n; i++) {
                t[i] = -Math.log(1 - rng.nextDouble()) * (1 + 0.3 * s);
                e[i] = rng.nextInt(4) > 0;
                allT.add(t[i]);
                allE.add(e[i]);
            }
            sites.add(SurvivalRelease.of("site-" + s, "all", t, e, bins, 5));
        }
        KaplanMeier federated = KaplanMeier.of(sites);
        assertTrue(federated.count() < bins.count(), "some bins merged: " + federated);
        // the pooled rows as one site without suppression, on the bins the federation ended up with
        double[] t = allT.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] e = new boolean[t.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = allE.get(i);
        }
        KaplanMeier pooled = KaplanMeier.of(List.of(SurvivalRelease.of("pooled", "all", t, e, federated.bins(), 1)));
        assertArrayEquals(pooled.survival(), federated.survival());
        assertArrayEquals(pooled.variance(), federated.variance());
        assertArrayEquals(pooled.atRisk(), federated.atRisk());
        assertEquals(List.of("site-0", "site-1", "site-2", "site-3"), federated.sites());
    }

    @Test
    void aSiteThatWithheldItsCountsIsLeftOutAndNamed() {
        SurvivalRelease a = SurvivalRelease.of("a", "all", T, E, THREE, 1);
        SurvivalRelease tiny = SurvivalRelease.of("tiny", "all", new double[] {0.5}, new boolean[] {true}, THREE, 5);
        KaplanMeier km = KaplanMeier.of(List.of(a, tiny));
        assertEquals(List.of("a"), km.sites());
        assertEquals(List.of("tiny"), km.withheld());
        assertArrayEquals(KaplanMeier.of(List.of(a)).survival(), km.survival());
    }

    @Test
    void sitesCountingOnDifferentBinsAreRefused() {
        SurvivalRelease a = SurvivalRelease.of("a", "all", T, E, THREE, 1);
        SurvivalRelease b = SurvivalRelease.of("b", "all", T, E, TimeBins.uniform(1.5, 2), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KaplanMeier.of(List.of(a, b)));
        assertTrue(e.getMessage().contains("site 'b'") && e.getMessage().contains("same shared bins"),
                e.getMessage());
    }

    @Test
    void pooledBinsStartOnlyWhereEverySiteStartsOne() {
        // site a keeps bins starting at 0, 1, 2; site b merged bins 0 and 1
        SurvivalCounts a = new SurvivalCounts("a", "all", 1, THREE, new int[] {0, 1, 2}, new long[] {10, 7, 4},
                new long[] {2, 1, 2}, new long[] {1, 2, 2});
        SurvivalCounts b = new SurvivalCounts("b", "all", 5, THREE, new int[] {0, 2}, new long[] {20, 10},
                new long[] {5, 5}, new long[] {5, 5});
        PooledSurvivalCounts p = PooledSurvivalCounts.pool(List.of(a, b));
        assertArrayEquals(new int[] {0, 2}, p.starts());
        assertArrayEquals(new long[] {30, 14}, p.atRisk());
        assertArrayEquals(new long[] {8, 7}, p.events());
        assertArrayEquals(new long[] {8, 7}, p.censored());
        assertArrayEquals(new double[] {0, 2, 3}, p.pooledBins().edges());
    }

    @Test
    void distributionFunctionsMatchScipy() {
        assertEquals(0.05, Distributions.chiSquare1Survival(3.841458820694124), 1e-15);
        assertEquals(0.21582528071600562, Distributions.chiSquare1Survival(576.0 / 376), 1e-14);
        assertEquals(1.959963984540054, Distributions.normalQuantile(0.975), 1e-14);
        assertEquals(-2.5758293035489004, Distributions.normalQuantile(0.005), 1e-13);
    }
}
