package org.fedmed.secagg.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedmed.secagg.graph.ThreatModel.ServerModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SecAggPlusSizingTest {

    /**
     * Degree and threshold published by Google's SecAgg+ parameter finder (fcp/secagg/server,
     * graph_parameter_finder_test.cc) for sigma = 40, eta = 20. The degree must match exactly; that test accepts any
     * threshold at or below its value, and ours may differ from it by one where the tail quantiles round.
     */
    @ParameterizedTest(name = "n={0} gamma={1} delta={2} {3}: k={4} t={5}")
    @CsvSource({
            "100, 0.45, 0.45, HONEST_BUT_CURIOUS, 92, 46",
            "1000, 0.45, 0.45, HONEST_BUT_CURIOUS, 822, 417",
            "10, 0.33, 0.33, HONEST_BUT_CURIOUS, 8, 4",
            "100, 0.33, 0.33, HONEST_BUT_CURIOUS, 68, 34",
            "1000, 0.33, 0.33, HONEST_BUT_CURIOUS, 286, 150",
            "10000, 0.33, 0.33, HONEST_BUT_CURIOUS, 422, 221",
            "100, 0.3, 0.3, SEMI_MALICIOUS, 92, 62",
            "1000, 0.3, 0.3, SEMI_MALICIOUS, 872, 584",
            "100, 0.05, 0.33, HONEST_BUT_CURIOUS, 28, 6",
            "1000, 0.05, 0.33, HONEST_BUT_CURIOUS, 72, 24",
            "10000, 0.05, 0.33, HONEST_BUT_CURIOUS, 86, 29",
            "100000, 0.05, 0.33, HONEST_BUT_CURIOUS, 96, 32",
            "100, 0.05, 0.33, SEMI_MALICIOUS, 72, 39",
            "1000, 0.05, 0.33, SEMI_MALICIOUS, 398, 223",
            "100, 0.33, 0.05, HONEST_BUT_CURIOUS, 34, 29",
            "1000, 0.33, 0.05, HONEST_BUT_CURIOUS, 78, 60",
            "10000, 0.33, 0.05, HONEST_BUT_CURIOUS, 92, 70",
            "100, 0.33, 0.05, SEMI_MALICIOUS, 42, 37",
            "1000, 0.33, 0.05, SEMI_MALICIOUS, 132, 109",
    })
    void chosenDegreeAndThresholdMatchThePublishedValues(int n, double gamma, double delta, ServerModel server,
                                                         int k, int t) {
        SecAggPlusSizing.Sizing s = SecAggPlusSizing.choose(n, new ThreatModel(gamma, delta, server, 40, 20));
        assertEquals(k, s.degree(), s.toString());
        assertTrue(Math.abs(s.threshold() - t) <= 1, s + " against published t=" + t);
        assertTrue(s.log2SecurityFailure() <= -40, s.toString());
        assertTrue(s.log2AbortChance() <= -20, s.toString());
    }

    /**
     * Google's finder gives k = 4, t = 2 for n = 10, gamma = 0.05, delta = 0.33: it checks the surviving-neighbour
     * bound before raising the threshold to 2, and with 3 of 10 sites dropped a site keeps fewer than 2 of its 4
     * neighbours with probability 7/210 = 1/30, so (4, 2) does not give 2^-20 correctness. We check after raising
     * and take k = 6.
     */
    @Test
    void aTinyCohortIsNotGivenAThresholdItsSurvivorsMiss() {
        SecAggPlusSizing.Sizing s = SecAggPlusSizing.choose(10,
                new ThreatModel(0.05, 0.33, ServerModel.HONEST_BUT_CURIOUS, 40, 20));
        assertEquals(6, s.degree());
        assertEquals(2, s.threshold());
    }

    @Test
    void moreDropoutNeverGivesASmallerDegree() {
        int previous = 0;
        for (double delta = 0.0; delta <= 0.4001; delta += 0.05) {
            SecAggPlusSizing.Sizing s = SecAggPlusSizing.choose(1000, ThreatModel.of(0.05, delta));
            assertTrue(s.degree() >= previous, "delta=" + delta + " gave " + s + " after k=" + previous);
            previous = s.degree();
        }
        assertTrue(previous > SecAggPlusSizing.choose(1000, ThreatModel.of(0.05, 0.0)).degree());
    }

    @Test
    void anExplicitThresholdBelowTheCorruptNeighboursIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecAggPlusSizing.check(1000, 40, 2, ThreatModel.of(0.2, 0.1)));
        assertTrue(e.getMessage().contains("secure_aggregation.threshold=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SecAggPlusSizing.check(1000, 41, 20, ThreatModel.of(0.2, 0.1)));
    }

    @Test
    void theChosenPairPassesItsOwnCheck() {
        ThreatModel m = ThreatModel.of(0.1, 0.3);
        SecAggPlusSizing.Sizing s = SecAggPlusSizing.choose(500, m);
        assertEquals(s.degree(), SecAggPlusSizing.check(500, s.degree(), s.threshold(), m).degree());
    }

    @Test
    void tooFewSitesForTheAssumedFractionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecAggPlusSizing.choose(5, new ThreatModel(0.4, 0.4, ServerModel.SEMI_MALICIOUS, 40, 20)));
        assertTrue(e.getMessage().contains("dropout_fraction=0.4"), e.getMessage());
    }
}
