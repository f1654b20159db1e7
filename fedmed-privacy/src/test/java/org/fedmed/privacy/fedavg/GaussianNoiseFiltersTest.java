package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.privacy.NoiseSource;
import org.junit.jupiter.api.Test;

class GaussianNoiseFiltersTest {

    private static final int N = 40_000;

    /** Asserts mean 0 and standard deviation sd, each within five standard errors of its estimate from n draws. */
    private static void assertGaussian(float[] noise, double sd) {
        double sum = 0;
        double sumSq = 0;
        for (float v : noise) {
            sum += v;
            sumSq += (double) v * v;
        }
        double n = noise.length;
        double mean = sum / n;
        double sampleSd = Math.sqrt((sumSq - n * mean * mean) / (n - 1));
        assertEquals(0, mean, 5 * sd / Math.sqrt(n), "mean");
        assertEquals(sd, sampleSd, 5 * sd / Math.sqrt(2 * n), "standard deviation");
    }

    @Test
    void centralNoiseHasStandardDeviationZTimesClipOverExpectedSites() {
        ModelParameters previous = Updates.zeros(N);
        float[] base = new float[N];
        Arrays.fill(base, 2.0f);
        ModelParameters aggregated = Updates.model(base);
        CentralGaussianNoise filter = new CentralGaussianNoise(1.2, 0.5, 3, NoiseSource.seeded(11));
        assertEquals(0.2, filter.stddev(), 1e-12);
        float[] out = filter.apply(previous, aggregated, 7, 3).flat();
        float[] noise = new float[N];
        for (int i = 0; i < N; i++) {
            noise[i] = out[i] - 2.0f;
        }
        assertGaussian(noise, 0.2);
    }

    @Test
    void centralNoiseIsReproducibleFromTheSeedAndFreshEachRound() {
        ModelParameters zeros = Updates.zeros(1000);
        CentralGaussianNoise a = new CentralGaussianNoise(1, 1, 1, NoiseSource.seeded(3));
        CentralGaussianNoise b = new CentralGaussianNoise(1, 1, 1, NoiseSource.seeded(3));
        assertArrayEquals(a.apply(zeros, zeros, 1, 1).flat(), b.apply(zeros, zeros, 1, 1).flat());
        assertFalse(Arrays.equals(a.apply(zeros, zeros, 1, 1).flat(), a.apply(zeros, zeros, 2, 1).flat()));
        CentralGaussianNoise other = new CentralGaussianNoise(1, 1, 1, NoiseSource.seeded(4));
        assertFalse(Arrays.equals(a.apply(zeros, zeros, 1, 1).flat(), other.apply(zeros, zeros, 1, 1).flat()));
    }

    @Test
    void localNoiseHasStandardDeviationZTimesClipAndLeavesADelta() throws Exception {
        LocalGaussianNoise filter = new LocalGaussianNoise(1.5, 0.4, NoiseSource.seeded(2));
        FitResult out = filter.apply(Updates.delta("site", 1, new float[N]), Updates.zeros(N));
        assertTrue(out.isDelta());
        assertGaussian(out.parameters().flat(), 0.6);
    }

    @Test
    void localNoiseDiffersBetweenSitesOfTheSameRound() throws Exception {
        LocalGaussianNoise filter = new LocalGaussianNoise(1, 1, NoiseSource.seeded(2));
        float[] a = filter.apply(Updates.delta("a", 1, new float[100]), Updates.zeros(100)).parameters().flat();
        float[] b = filter.apply(Updates.delta("b", 1, new float[100]), Updates.zeros(100)).parameters().flat();
        assertFalse(Arrays.equals(a, b));
    }
}
