package org.fedmed.privacy;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.fedmed.core.Seeds;

/**
 * Where the Gaussian noise of a differentially private mechanism comes from. Each draw asks for a stream by key
 * (the round, a task), so that a {@link #seeded seeded} source reproduces a simulation bit for bit while a
 * {@link #secure secure} one gives noise nobody can predict, which is what a deployment must use: the privacy
 * guarantee assumes the noise is unknown to whoever sees the result.
 */
@FunctionalInterface
public interface NoiseSource {

    /** A generator for the draws identified by {@code key}. */
    RandomGenerator stream(long key);

    /** Reproducible noise: stream k is a {@link SplittableRandom} seeded from {@code seed} and k. For simulation. */
    static NoiseSource seeded(long seed) {
        return key -> new SplittableRandom(Seeds.substream(seed, key));
    }

    /** Unpredictable noise from the platform's {@link SecureRandom}, whatever the key. For deployment. */
    static NoiseSource secure() {
        return key -> new SecureRandom();
    }

    /** Adds independent N(0, stddev^2) noise to every value of {@code v}, drawn from stream {@code key}. */
    default void addGaussian(float[] v, double stddev, long key) {
        if (!(stddev >= 0) || !Double.isFinite(stddev)) {
            throw new IllegalArgumentException("noise standard deviation must be a finite number >= 0, got " + stddev);
        }
        if (stddev == 0) {
            return;
        }
        RandomGenerator rng = stream(key);
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (stddev * rng.nextGaussian());
        }
    }
}
