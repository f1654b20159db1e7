package org.fedmed.secagg.quant;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RingQuantizerTest {

    static float[] uniform(int n, double r, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-r, r);
        }
        return x;
    }

    @Test
    void sumOfQuantizedInputsDecodesWithinTheBoundForBothRoundings() {
        for (RingQuantizer.Rounding rounding : RingQuantizer.Rounding.values()) {
            for (int bits : new int[] {16, 32, 48, 62}) {
                int n = 25;
                RingQuantizer q = new RingQuantizer(bits, 2.0, n, rounding);
                long[] acc = new long[300];
                double[] exact = new double[300];
                SplittableRandom rnd = new SplittableRandom(8);
                for (int k = 0; k < n; k++) {
                    float[] x = uniform(300, 2.0, k);
                    long[] enc = q.quantize(x, 1, rnd);
                    for (int i = 0; i < x.length; i++) {
                        acc[i] += enc[i];
                        exact[i] += x[i];
                    }
                }
                float[] dec = q.dequantize(acc);
                double bound = q.sumErrorBound(n);
                for (int i = 0; i < dec.length; i++) {
                    assertEquals(exact[i], dec[i], bound + Math.ulp(dec[i]), rounding + " " + bits + " bits, index " + i);
                }
            }
        }
    }

    @Test
    void extremeValuesAtTheClipBoundDoNotWrap() {
        int n = 10;
        RingQuantizer q = new RingQuantizer(16, 1.0, n, RingQuantizer.Rounding.NEAREST);
        long[] accPos = new long[1];
        long[] accNeg = new long[1];
        for (int k = 0; k < n; k++) {
            accPos[0] += q.quantize(new float[] {5f}, 1, null)[0];
            accNeg[0] += q.quantize(new float[] {-5f}, 1, null)[0];
        }
        assertEquals(10.0, q.dequantize(accPos)[0], q.sumErrorBound(n));
        assertEquals(-10.0, q.dequantize(accNeg)[0], q.sumErrorBound(n));
    }

    @Test
    void weightsMultiplyTheDecodedContribution() {
        RingQuantizer q = new RingQuantizer(40, 1.0, 100, RingQuantizer.Rounding.NEAREST);
        long[] acc = new long[1];
        acc[0] += q.quantize(new float[] {0.5f}, 30, null)[0];
        acc[0] += q.quantize(new float[] {-0.25f}, 70, null)[0];
        assertEquals(30 * 0.5 - 70 * 0.25, q.dequantize(acc)[0], q.sumErrorBound(100));
    }

    @Test
    void stochasticRoundingIsUnbiased() {
        RingQuantizer q = new RingQuantizer(8, 1.0, 1, RingQuantizer.Rounding.STOCHASTIC);
        // One step is 1/127; 0.3 steps above zero should average to 0.3 steps.
        float x = (float) (0.3 / q.scale());
        SplittableRandom rnd = new SplittableRandom(1);
        double total = 0;
        int trials = 20_000;
        for (int i = 0; i < trials; i++) {
            total += q.dequantize(q.quantize(new float[] {x}, 1, rnd))[0];
        }
        assertEquals(x, total / trials, 0.02 / q.scale());
    }

    @Test
    void ringTooSmallForTheTotalWeightIsRejectedWithTheBitsNeeded() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RingQuantizer(8, 1.0, 1000, RingQuantizer.Rounding.NEAREST));
        assertTrue(e.getMessage().contains("at least 11"), e.getMessage());
    }

    @Test
    void nonFiniteValueIsRejectedNamingItsIndex() {
        RingQuantizer q = new RingQuantizer(32, 1.0, 4, RingQuantizer.Rounding.NEAREST);
        var e = assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[] {0f, Float.NaN}, 1, null));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }
}
