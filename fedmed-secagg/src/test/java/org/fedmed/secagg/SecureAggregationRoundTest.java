package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecureAggregationRoundTest {

    static final int P = 1000;

    /**
     * Classic SecAgg for 20 clients with its defaults (a majority of 19 neighbours), or SecAgg+ for 30 clients
     * with 16 neighbours and threshold 6: a sparse graph configured for high dropout (the default majority
     * threshold is meant for dropout rates up to about 10%).
     */
    static SecAggParameters parameters(String topology) {
        return topology.equals("CLASSIC") ? SecAggParameters.classic(20, P, 32) : new SecAggParameters(30, P, 32, 16, 6);
    }

    static List<float[]> vectors(int n, int p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            float[] x = new float[p];
            for (int i = 0; i < p; i++) {
                x[i] = (float) r.nextDouble(-1, 1);
            }
            out.add(x);
        }
        return out;
    }

    static VectorSumResult secureSum(SecAggParameters params, List<float[]> xs, DropoutSchedule drops, long seed) {
        long[] weights = new long[params.numClients()];
        Arrays.fill(weights, 1);
        RingQuantizer q = new RingQuantizer(params.ringBits(), 1.0, params.numClients(), RingQuantizer.Rounding.NEAREST);
        return new SecureVectorSum(params, q, RandomnessSource.seededForSimulation(seed))
                .sum(xs, weights, drops, "test-" + seed, seed);
    }

    static void assertSumOfIncluded(List<float[]> xs, VectorSumResult r) {
        for (int i = 0; i < xs.getFirst().length; i++) {
            double exact = 0;
            for (int id : r.included()) {
                exact += xs.get(id - 1)[i];
            }
            assertEquals(exact, r.weightedSum()[i], r.errorBound() + Math.ulp(r.weightedSum()[i]), "index " + i);
        }
        assertTrue(r.errorBound() < 1e-6, "bound " + r.errorBound());
    }

    @ParameterizedTest(name = "{0}, {1} of clients drop {2}")
    @CsvSource({
            "CLASSIC, 0.0, BEFORE_UNMASKING",
            "CLASSIC, 0.1, BEFORE_UNMASKING",
            "CLASSIC, 0.3, BEFORE_UNMASKING",
            "CLASSIC, 0.1, BEFORE_MASKED_INPUT",
            "CLASSIC, 0.3, BEFORE_MASKED_INPUT",
            "PLUS, 0.0, BEFORE_UNMASKING",
            "PLUS, 0.1, BEFORE_UNMASKING",
            "PLUS, 0.3, BEFORE_UNMASKING",
            "PLUS, 0.1, BEFORE_MASKED_INPUT",
            "PLUS, 0.3, BEFORE_MASKED_INPUT"})
    void sumOfSubmittedInputsIsRecoveredWithinTheQuantizationBound(String topology, double fraction, DropPoint point) {
        SecAggParameters params = parameters(topology);
        int n = params.numClients();
        List<float[]> xs = vectors(n, P, 21);
        DropoutSchedule drops = DropoutSchedule.randomFraction(n, fraction, point, 77);
        VectorSumResult r = secureSum(params, xs, drops, 5);

        int dropped = (int) Math.round(fraction * n);
        if (point == DropPoint.BEFORE_UNMASKING) {
            // Clients that drop after submitting stay in the sum: their self masks are rebuilt from shares.
            assertEquals(n, r.included().length);
        } else {
            // Clients that drop before submitting are left out, and the masks others added for them are removed.
            assertEquals(n - dropped, r.included().length);
            for (int id : r.dropped()) {
                assertTrue(drops.drops().containsKey(id), "client " + id + " was left out but did not drop");
            }
        }
        assertSumOfIncluded(xs, r);
    }

    @Test
    void defaultSecAggPlusRecoversTheSumWithTenPercentDroppingAtEveryPhase() {
        int n = 40;
        SecAggParameters params = SecAggParameters.secAggPlus(n, P, 32);
        assertTrue(params.degree() < n - 1, "SecAgg+ should not be the complete graph at n = " + n);
        DropoutSchedule drops = new DropoutSchedule(Map.of(3, DropPoint.BEFORE_ADVERTISING, 11, DropPoint.BEFORE_SHARING,
                17, DropPoint.BEFORE_MASKED_INPUT, 29, DropPoint.BEFORE_UNMASKING));
        List<float[]> xs = vectors(n, P, 8);
        VectorSumResult r = secureSum(params, xs, drops, 9);
        assertEquals(n - 3, r.included().length);
        assertArrayEquals(new int[] {3, 11, 17}, r.dropped());
        assertSumOfIncluded(xs, r);
    }

    @Test
    void ringSumIsExactlyTheSumOfSubmittedInputsModuloTwoToTheK() {
        int n = 12;
        SecAggParameters params = new SecAggParameters(n, 257, 20, 6, 3);
        SplittableRandom rnd = new SplittableRandom(4);
        List<long[]> inputs = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            inputs.add(rnd.longs(257, 0, 1L << 20).toArray());
        }
        DropoutSchedule drops = new DropoutSchedule(Map.of(2, DropPoint.BEFORE_MASKED_INPUT, 7, DropPoint.BEFORE_UNMASKING));
        RoundOutcome outcome = new SecureAggregationRound(params, "exact", 123, RandomnessSource.seededForSimulation(1))
                .run(inputs, drops);
        long[] expected = new long[257];
        for (int id : outcome.result().included()) {
            for (int i = 0; i < 257; i++) {
                expected[i] = (expected[i] + inputs.get(id - 1)[i]) & ((1L << 20) - 1);
            }
        }
        assertArrayEquals(new int[] {2}, outcome.result().dropped());
        assertArrayEquals(expected, outcome.result().sum());
    }

    @Test
    void costsAreChargedToEachPartyAndTrafficBalances() {
        int n = 10;
        SecAggParameters params = new SecAggParameters(n, 500, 32, 4, 3);
        List<long[]> inputs = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            inputs.add(new long[500]);
        }
        RoundCosts costs = new SecureAggregationRound(params, "costs", 1, RandomnessSource.seededForSimulation(2))
                .run(inputs, DropoutSchedule.none()).costs();
        long clientSent = costs.clients().stream().mapToLong(PartyCost::bytesSent).sum();
        long clientReceived = costs.clients().stream().mapToLong(PartyCost::bytesReceived).sum();
        assertEquals(costs.server().bytesReceived(), clientSent);
        assertEquals(costs.server().bytesSent(), clientReceived);
        // Each client sends at least its masked vector: 500 elements of 4 bytes.
        for (PartyCost c : costs.clients()) {
            assertTrue(c.bytesSent() > 2000, "bytes sent " + c.bytesSent());
            assertTrue(c.cpuNanos() > 0);
        }
    }
}
