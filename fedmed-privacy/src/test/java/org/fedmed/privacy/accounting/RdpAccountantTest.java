package org.fedmed.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {

    private static double eps(double q, double z, long steps) {
        return new RdpAccountant().step(q, z, steps).epsilon(1e-5).epsilon();
    }

    @Test
    void defaultOrdersAreThoseOfOpacusAndTensorFlowPrivacy() {
        double[] orders = RdpAccountant.defaultOrders();
        assertEquals(151, orders.length);
        assertEquals(1.1, orders[0], 1e-15);
        assertEquals(10.9, orders[98], 1e-12);
        assertEquals(12, orders[99]);
        assertEquals(63, orders[150]);
    }

    @Test
    void withoutSamplingRdpIsTheGaussianClosedFormAtEveryOrder() {
        double z = 1.7;
        double[] orders = RdpAccountant.defaultOrders();
        double[] rdp = new RdpAccountant().step(1, z, 3).rdp();
        for (int i = 0; i < orders.length; i++) {
            assertEquals(3 * orders[i] / (2 * z * z), rdp[i], 1e-12, "order " + orders[i]);
        }
    }

    @Test
    void samplingRateNearOneApproachesTheClosedForm() {
        for (double alpha : new double[]{2, 2.5, 7, 7.5}) {
            double nearOne = SampledGaussianRdp.rdp(1 - 1e-9, 2.0, alpha);
            assertEquals(alpha / 8, nearOne, 1e-6, "order " + alpha);
        }
    }

    @Test
    void fractionalOrdersInterpolateBetweenNeighbouringIntegerOrders() {
        // RDP is non-decreasing in the order, so the fractional series must land between its integer neighbours.
        for (double q : new double[]{0.001, 0.01, 0.1, 0.5}) {
            for (double z : new double[]{0.6, 1.0, 4.0}) {
                for (int a = 2; a < 12; a++) {
                    double lo = SampledGaussianRdp.rdp(q, z, a);
                    double mid = SampledGaussianRdp.rdp(q, z, a + 0.5);
                    double hi = SampledGaussianRdp.rdp(q, z, a + 1);
                    assertTrue(lo <= mid * (1 + 1e-9) && mid <= hi * (1 + 1e-9),
                            "q " + q + " z " + z + " order " + a + ": " + lo + " " + mid + " " + hi);
                }
            }
        }
    }

    @Test
    void epsilonFallsWithMoreNoise() {
        double previous = Double.POSITIVE_INFINITY;
        for (double z : new double[]{0.5, 0.8, 1.0, 1.5, 2.0, 4.0}) {
            double e = eps(0.01, z, 1000);
            assertTrue(e < previous, "z " + z + ": " + e + " not below " + previous);
            previous = e;
        }
    }

    @Test
    void epsilonGrowsWithStepsAndWithSamplingRate() {
        double previous = 0;
        for (long steps : new long[]{1, 10, 100, 1000, 10_000}) {
            double e = eps(0.01, 1.1, steps);
            assertTrue(e > previous, steps + " steps: " + e + " not above " + previous);
            previous = e;
        }
        previous = 0;
        for (double q : new double[]{0.001, 0.005, 0.02, 0.1, 0.5, 1}) {
            double e = eps(q, 1.1, 100);
            assertTrue(e > previous, "q " + q + ": " + e + " not above " + previous);
            previous = e;
        }
    }

    @Test
    void noNoiseMeansNoPrivacyAndNoSamplingMeansNoCost() {
        PrivacySpent none = new RdpAccountant().step(0.1, 0, 1).epsilon(1e-5);
        assertEquals(Double.POSITIVE_INFINITY, none.epsilon());
        assertEquals(0, new RdpAccountant().step(0, 1, 1000).epsilon(1e-5).epsilon());
    }

    @Test
    void heterogeneousStepsComposeBySummingRdpVectors() {
        RdpAccountant a = new RdpAccountant().step(0.01, 1.0, 300).step(0.05, 2.0, 40).step(0.01, 1.0, 200);
        double[] first = SampledGaussianRdp.rdp(0.01, 1.0, RdpAccountant.defaultOrders());
        double[] second = SampledGaussianRdp.rdp(0.05, 2.0, RdpAccountant.defaultOrders());
        double[] expected = new double[first.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 500 * first[i] + 40 * second[i];
        }
        double[] actual = a.rdp();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * expected[i], "order index " + i);
        }
        assertEquals(540, a.steps());
        assertEquals(List.of(new SampledGaussianSteps(0.01, 1.0, 300), new SampledGaussianSteps(0.05, 2.0, 40),
                new SampledGaussianSteps(0.01, 1.0, 200)), a.history());
    }

    @Test
    void stepByStepAndAllAtOnceSpendTheSame() {
        RdpAccountant one = new RdpAccountant();
        for (int i = 0; i < 50; i++) {
            one.step(0.02, 1.3, 1);
        }
        assertEquals(new RdpAccountant().step(0.02, 1.3, 50).epsilon(1e-6).epsilon(), one.epsilon(1e-6).epsilon(), 1e-12);
        assertEquals(List.of(new SampledGaussianSteps(0.02, 1.3, 50)), one.history());
    }

    @Test
    void improvedConversionIsNeverLooserThanClassic() {
        RdpAccountant a = new RdpAccountant().step(0.01, 1.1, 5000);
        for (double delta : new double[]{1e-3, 1e-5, 1e-8}) {
            assertTrue(a.epsilon(delta).epsilon() <= a.epsilon(delta, RdpConversion.CLASSIC).epsilon());
        }
    }

    @Test
    void noiseForTargetIsTheSmallestNoiseWithinTheTarget() {
        double q = 0.01;
        long steps = 3000;
        double z = RdpAccountant.noiseForTarget(2.0, 1e-5, q, steps);
        assertTrue(eps(q, z, steps) <= 2.0);
        assertTrue(eps(q, z * (1 - 1e-4), steps) > 2.0);
        assertEquals(2.0, eps(q, z, steps), 1e-4);
    }

    @Test
    void maxStepsIsTheLastStepCountWithinTheTarget() {
        long t = RdpAccountant.maxSteps(3.0, 1e-5, 0.02, 1.2);
        assertTrue(t > 1);
        assertTrue(eps(0.02, 1.2, t) <= 3.0);
        assertTrue(eps(0.02, 1.2, t + 1) > 3.0);
        assertEquals(0, RdpAccountant.maxSteps(0.01, 1e-5, 1, 0.5));
        assertEquals(Long.MAX_VALUE, RdpAccountant.maxSteps(1, 1e-5, 0, 0.5));
    }

    @Test
    void epsilonAfterPreviewsWithoutSpending() {
        RdpAccountant a = new RdpAccountant().step(0.1, 1, 10);
        double before = a.epsilon(1e-5).epsilon();
        double preview = a.epsilonAfter(0.1, 1, 10, 1e-5).epsilon();
        assertEquals(before, a.epsilon(1e-5).epsilon());
        assertEquals(new RdpAccountant().step(0.1, 1, 20).epsilon(1e-5).epsilon(), preview, 1e-12);
    }

    @Test
    void badArgumentsAreRefusedNamingWhatIsWrong() {
        RdpAccountant a = new RdpAccountant();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.step(1.5, 1, 1)).getMessage()
                .contains("sampling rate q"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.step(0.1, -1, 1)).getMessage()
                .contains("noise multiplier z"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.step(0.1, 1, -1)).getMessage()
                .contains("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.epsilon(0)).getMessage().contains("delta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(new double[]{1.0}))
                .getMessage().contains("order"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RdpAccountant.noiseForTarget(-1, 1e-5, 0.1, 10)).getMessage().contains("target epsilon"));
    }
}
