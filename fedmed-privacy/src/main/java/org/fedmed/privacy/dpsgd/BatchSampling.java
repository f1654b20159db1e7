package org.fedmed.privacy.dpsgd;

import org.fedmed.ml.BatchSampler;

/** How DP-SGD forms its batches: which of the trainer's {@link BatchSampler}s it runs, and what it divides by. */
public enum BatchSampling {
    /**
     * Each example joins each batch independently with probability q = B / n, and the clipped sum is divided by the
     * expected batch size B. This is what the RDP accountant's analysis assumes, so the reported epsilon is exact.
     */
    POISSON,
    /**
     * Each epoch visits a fresh shuffle of the examples in batches of B (the last may be smaller), and the clipped
     * sum is divided by the batch's size. Common in practice; the accountant's figure at q = B / n is then the usual
     * approximation, not a proven bound.
     */
    SHUFFLE;

    /** The trainer's batch seam for this choice. */
    public BatchSampler sampler() {
        return switch (this) {
            case POISSON -> BatchSampler.POISSON;
            case SHUFFLE -> BatchSampler.SHUFFLED;
        };
    }
}
