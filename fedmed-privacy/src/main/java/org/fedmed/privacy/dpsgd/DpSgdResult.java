package org.fedmed.privacy.dpsgd;

import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;

/**
 * What one call of {@link DpSgdTrainer#train} did: the mean per-example loss of its last epoch, the epochs and
 * noisy steps taken, the sampling rate q = B / n and noise multiplier z those steps used (what an accountant needs),
 * and the share of per-example gradients that were clipped. The loss and the clipped share are computed from the
 * data without noise: they are for the site's own diagnostics and must not leave it.
 */
public record DpSgdResult(double lastEpochLoss, int epochs, long steps, double samplingRate, double noiseMultiplier,
                          double clippedFraction) {

    /** The example-level privacy of this call alone, at {@code delta}. */
    public PrivacySpent privacy(double delta) {
        return new RdpAccountant().step(samplingRate, noiseMultiplier, steps).epsilon(delta);
    }
}
