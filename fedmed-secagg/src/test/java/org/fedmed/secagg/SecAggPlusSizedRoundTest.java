package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fedmed.secagg.graph.ThreatModel;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecAggPlusSizedRoundTest {

    static final int SITES = 60;
    static final int P = 40;

    static SecAggParameters sizedFor(double dropout) {
        SecureSumConfig config = new SecureSumConfig(SecureSumConfig.Topology.SEC_AGG_PLUS, 32, 1.0,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 0, 0,
                ThreatModel.of(0.05, dropout));
        return config.parametersFor(SITES, P);
    }

    @ParameterizedTest(name = "sized for and dropping {0} {1}")
    @CsvSource({"0.1, BEFORE_MASKED_INPUT", "0.1, BEFORE_UNMASKING", "0.3, BEFORE_MASKED_INPUT",
            "0.3, BEFORE_UNMASKING"})
    void aRoundSizedForItsDropoutRecoversTheSumOfTheSurvivors(double dropout, DropPoint point) {
        SecAggParameters params = sizedFor(dropout);
        assertTrue(params.degree() < SITES - 1 || dropout > 0.2, params.toString());
        List<float[]> xs = SecureAggregationRoundTest.vectors(SITES, P, 7);
        DropoutSchedule drops = DropoutSchedule.randomFraction(SITES, dropout, point, 11);
        VectorSumResult r = SecureAggregationRoundTest.secureSum(params, xs, drops, 13);
        int expectedIncluded = point == DropPoint.BEFORE_MASKED_INPUT
                ? SITES - (int) Math.round(dropout * SITES) : SITES;
        assertEquals(expectedIncluded, r.included().length, params.toString());
        SecureAggregationRoundTest.assertSumOfIncluded(xs, r);
    }

    @Test
    void moreDropoutSizesALargerNeighbourhood() {
        SecAggParameters low = sizedFor(0.1);
        SecAggParameters high = sizedFor(0.3);
        assertTrue(high.degree() > low.degree() || high.degree() - high.threshold() > low.degree() - low.threshold(),
                low + " vs " + high);
    }

    @Test
    void dropoutBeyondWhatTheParametersTolerateAbortsWithNothingRevealed() {
        SecAggParameters params = sizedFor(0.1);
        ProtocolHarness h = new ProtocolHarness(params, 17);
        Map<Integer, ShareDelivery> deliveries = h.shareKeys();
        // Only t sites submit: each has at most t - 1 surviving neighbours, below the threshold.
        Set<Integer> dropped = IntStream.rangeClosed(params.threshold() + 1, SITES).boxed()
                .collect(Collectors.toSet());
        var e = assertThrows(SecAggAbortedException.class, () -> h.submit(deliveries, dropped));
        assertTrue(e.survivors() < params.threshold(), e.getMessage());
        assertTrue(e.getMessage().contains("nothing revealed"), e.getMessage());
        assertTrue(h.server.aborted());
        assertEquals(0, h.server.revealedSharesReceived());
        assertTrue(h.server.result().isEmpty());
    }

    @Test
    void anExplicitPairThatMissesTheThreatModelIsRefusedNamingTheKey() {
        SecureSumConfig config = new SecureSumConfig(SecureSumConfig.Topology.SEC_AGG_PLUS, 32, 1.0,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 8, 7, ThreatModel.of(0.05, 0.3));
        var e = assertThrows(IllegalArgumentException.class, () -> config.parametersFor(SITES, P));
        assertTrue(e.getMessage().contains("secure_aggregation.threshold=7"), e.getMessage());
    }

    @Test
    void withoutAThreatModelTheFixedRuleStillApplies() {
        SecAggParameters p = SecureSumConfig.defaults().parametersFor(SITES, P);
        assertEquals(24, p.degree());
        assertEquals(13, p.threshold());
    }
}
