package org.fedmed.privacy.fedavg;

import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.ModelFilter;
import org.fedmed.privacy.NoiseSource;

/**
 * Central differential privacy for DP-FedAvg: adds N(0, (z C / expected)^2) to every coordinate of the averaged
 * delta, where C is the clip norm and {@code expected} the expected number of sites per round. Behind a
 * {@link FixedDenominatorAggregator} fed with deltas clipped to C, each round is then a Gaussian mechanism with
 * noise multiplier z over sites. The noise for round r comes from stream r of the noise source.
 */
public final class CentralGaussianNoise implements ModelFilter {

    private final double noiseMultiplier;
    private final double clipNorm;
    private final double expectedSites;
    private final NoiseSource noise;

    public CentralGaussianNoise(double noiseMultiplier, double clipNorm, double expectedSites, NoiseSource noise) {
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise_multiplier must be a finite number >= 0, got " + noiseMultiplier);
        }
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip_norm must be a positive finite number, got " + clipNorm);
        }
        if (!(expectedSites > 0) || !Double.isFinite(expectedSites)) {
            throw new IllegalArgumentException("expected sites per round must be a positive finite number, got "
                    + expectedSites);
        }
        this.noiseMultiplier = noiseMultiplier;
        this.clipNorm = clipNorm;
        this.expectedSites = expectedSites;
        this.noise = noise;
    }

    /** The standard deviation added to each coordinate of the average: z C / expected. */
    public double stddev() {
        return noiseMultiplier * clipNorm / expectedSites;
    }

    @Override
    public ModelParameters apply(ModelParameters previous, ModelParameters aggregated, int round, int acceptedUpdates) {
        float[] next = aggregated.copyFlat();
        noise.addGaussian(next, stddev(), round);
        return ModelParameters.ofFlat(aggregated.layout(), next);
    }
}
