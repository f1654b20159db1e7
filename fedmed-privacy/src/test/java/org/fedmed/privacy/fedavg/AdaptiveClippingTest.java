package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedmed.privacy.NoiseSource;
import org.junit.jupiter.api.Test;

class AdaptiveClippingTest {

    /** Runs adaptive clipping on log-normal update norms (median 1, log-sd 0.5) and returns the mean C of the tail. */
    private static double settledClipNorm(double targetQuantile, double countNoiseStddev) {
        int sites = 100;
        SplittableRandom norms = new SplittableRandom(17);
        AdaptiveClipping clip = new AdaptiveClipping(
                new ClippingPolicy.Adaptive(0.05, targetQuantile, 0.2, countNoiseStddev), NoiseSource.seeded(3));
        double tail = 0;
        int rounds = 400;
        for (int r = 1; r <= rounds; r++) {
            double c = clip.clipNorm();
            int unclipped = 0;
            for (int k = 0; k < sites; k++) {
                if (Math.exp(0.5 * norms.nextGaussian()) <= c) {
                    unclipped++;
                }
            }
            clip.update(r, unclipped, sites, sites);
            if (r > rounds - 100) {
                tail += clip.clipNorm();
            }
        }
        return tail / 100;
    }

    @Test
    void clipNormSettlesAtTheTargetQuantileOfTheNorms() {
        // Quantiles of exp(0.5 N(0,1)): median 1, 80th percentile exp(0.5 * 0.8416) = 1.523.
        assertEquals(1.0, settledClipNorm(0.5, 5), 0.08);
        assertEquals(1.523, settledClipNorm(0.8, 5), 0.12);
        assertEquals(Math.exp(0.5 * -0.8416), settledClipNorm(0.2, 5), 0.06);
    }

    @Test
    void settledClipNormClipsAboutTheTargetShareOfFreshNorms() {
        double c = settledClipNorm(0.5, 5);
        SplittableRandom rng = new SplittableRandom(99);
        double[] fresh = new double[20_000];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = Math.exp(0.5 * rng.nextGaussian());
        }
        long within = Arrays.stream(fresh).filter(n -> n <= c).count();
        assertEquals(0.5, (double) within / fresh.length, 0.05);
    }

    @Test
    void clipNormShrinksWhenEveryUpdateFitsAndGrowsWhenNoneDoes() {
        AdaptiveClipping clip = new AdaptiveClipping(new ClippingPolicy.Adaptive(1, 0.5, 0.2, 0), NoiseSource.seeded(1));
        clip.update(1, 10, 10, 10);
        assertEquals(Math.exp(-0.2 * 0.5), clip.clipNorm(), 1e-12);
        assertEquals(1.0, clip.lastUnclippedFraction(), 1e-12);
        clip.update(2, 0, 10, 10);
        assertEquals(1.0, clip.clipNorm(), 1e-12);
    }

    @Test
    void deltaNoiseMultiplierLeavesTheTotalAtZ() {
        double z = 1.0;
        double sigmaB = 5;
        double zDelta = AdaptiveClipping.deltaNoiseMultiplier(z, sigmaB);
        assertTrue(zDelta > z);
        assertEquals(1 / (z * z), 1 / (zDelta * zDelta) + 1 / (4 * sigmaB * sigmaB), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> AdaptiveClipping.deltaNoiseMultiplier(2, 1));
    }
}
