package org.fedmed.privacy.fedavg;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.privacy.NoiseSource;

/**
 * Local differential privacy at a site: adds N(0, (z C)^2) to every coordinate of the site's delta before it
 * leaves, so the site need not trust the coordinator. Put it after a {@link ClippingFilter} with the same C in the
 * site's outbound chain: each release is then a Gaussian mechanism with noise multiplier z over the site's whole
 * contribution. The noise for an update comes from the stream keyed by its site and task id.
 */
public final class LocalGaussianNoise implements UpdateFilter {

    private final double noiseMultiplier;
    private final double clipNorm;
    private final NoiseSource noise;

    public LocalGaussianNoise(double noiseMultiplier, double clipNorm, NoiseSource noise) {
        if (!(noiseMultiplier >= 0) || !Double.isFinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise_multiplier must be a finite number >= 0, got " + noiseMultiplier);
        }
        if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clip_norm must be a positive finite number, got " + clipNorm);
        }
        this.noiseMultiplier = noiseMultiplier;
        this.clipNorm = clipNorm;
        this.noise = noise;
    }

    /** The standard deviation added to each coordinate: z C. */
    public double stddev() {
        return noiseMultiplier * clipNorm;
    }

    @Override
    public FitResult apply(FitResult update, ModelParameters global) throws UpdateRejectedException {
        UpdateIntake.checkValues(update, global);
        float[] delta = UpdateFilter.deltaOf(update, global);
        noise.addGaussian(delta, stddev(), (update.siteId() + "/" + update.taskId()).hashCode());
        return UpdateFilter.withDelta(update, delta);
    }
}
