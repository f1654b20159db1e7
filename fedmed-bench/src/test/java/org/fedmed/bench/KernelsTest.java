package org.fedmed.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

class KernelsTest {

    private static float[][] randomArrays(int count, int p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] xs = new float[count][p];
        for (float[] x : xs) {
            for (int i = 0; i < p; i++) {
                x[i] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        return xs;
    }

    @Test
    void readSumMatchesAPlainSum() {
        for (int p : new int[] {0, 1, 63, 64, 1000, 4099}) {
            float[] x = randomArrays(1, p, p)[0];
            double expected = 0;
            for (float v : x) {
                expected += v;
            }
            assertEquals(expected, Kernels.readSum(x), 1e-3, "p=" + p);
        }
    }

    @Test
    void vectorCheckFindsTheSameIndexAsTheCoreCheck() {
        int p = 5003;
        ParameterLayout layout = ParameterLayout.of(List.of("w"), List.of(new int[] {p}));
        float[] x = randomArrays(1, p, 1)[0];
        assertEquals(-1, Kernels.firstNonFiniteVector(x));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int at : new int[] {0, 17, 2500, p - 1}) {
                float[] y = x.clone();
                y[at] = bad;
                y[p - 1 - at / 2] = bad;
                assertEquals(ModelParameters.ofFlat(layout, y).firstNonFinite(), Kernels.firstNonFiniteVector(y),
                        bad + " at " + at);
            }
        }
    }

    @Test
    void everyFoldMatchesFoldingOneUpdateAtATime() {
        int p = 4099;
        for (int count : new int[] {1, 2, 3, 4, 5, 8, 13, 16, 24}) {
            float[][] xs = randomArrays(count, p, count);
            float[] ws = new float[count];
            float[] expected = new float[p];
            for (int k = 0; k < count; k++) {
                ws[k] = 100 + 7 * k;
                Kernels.axpy(expected, ws[k], xs[k]);
            }
            float[] unrolled = new float[p];
            Kernels.foldUnrolled(unrolled, xs, ws, count);
            float[] vector = new float[p];
            Kernels.foldVector(vector, xs, ws, count);
            float[] tiled = new float[p];
            Kernels.foldTiled(tiled, xs, ws, count);
            assertArrayEquals(expected, unrolled, 1e-2f * count, "unrolled, count " + count);
            assertArrayEquals(expected, vector, 1e-2f * count, "vector, count " + count);
            assertArrayEquals(expected, tiled, "tiled must add in the same order, count " + count);
        }
    }

    @Test
    void fusedFoldAddsLikeTheUnrolledFoldAndFlagsBadUpdates() {
        int p = 4099;
        float[][] xs = randomArrays(4, p, 9);
        float[] ws = {100, 107, 114, 121};
        float[] expected = new float[p];
        Kernels.foldUnrolled(expected, xs, ws, 4);
        float[] fused = new float[p];
        assertEquals(0, Kernels.foldChecked4(fused, xs, ws, 0));
        assertArrayEquals(expected, fused, 1e-2f);
        xs[1][17] = Float.NaN;
        xs[3][p - 1] = Float.NEGATIVE_INFINITY;
        assertEquals(0b1010, Kernels.foldChecked4(new float[p], xs, ws, 0));
    }
}
