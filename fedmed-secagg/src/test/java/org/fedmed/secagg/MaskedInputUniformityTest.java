package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.secagg.message.MaskedInput;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

class MaskedInputUniformityTest {

    static final int P = 100_000;

    /** Histogram of the top byte of each 32-bit ring element. */
    static long[] topByteHistogram(long[] v) {
        long[] counts = new long[256];
        for (long x : v) {
            counts[(int) (x >>> 24) & 0xFF]++;
        }
        return counts;
    }

    @Test
    void oneMaskedUpdateLooksUniformWhileTheUnmaskedOneDoesNot() {
        ProtocolHarness h = new ProtocolHarness(new SecAggParameters(6, P, 32, 2, 2), 2024);
        // A realistic update: small Gaussian deltas, quantized into the ring (negative values wrap to the top).
        SplittableRandom r = new SplittableRandom(7);
        float[] delta = new float[P];
        for (int i = 0; i < P; i++) {
            delta[i] = (float) (0.01 * r.nextGaussian());
        }
        long[] quantized = new RingQuantizer(32, 1.0, 6, RingQuantizer.Rounding.NEAREST).quantize(delta, 1, null);
        h.inputs[1] = quantized;
        Map<Integer, ShareDelivery> deliveries = h.shareKeys();
        MaskedInput masked = h.clients[1].maskInput(deliveries.get(1), quantized);

        double maskedP = ChiSquare.pValue(ChiSquare.statistic(topByteHistogram(masked.maskedVector())), 255);
        double plainP = ChiSquare.pValue(ChiSquare.statistic(topByteHistogram(quantized)), 255);
        assertTrue(maskedP > 1e-3, "masked update should pass a uniformity test, p = " + maskedP);
        // The control: the same test on the unmasked update rejects uniformity outright, so it can fail.
        assertTrue(plainP < 1e-12, "unmasked update should fail the uniformity test, p = " + plainP);
    }
}
