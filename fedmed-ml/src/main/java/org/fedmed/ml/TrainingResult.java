package org.fedmed.ml;

/**
 * What one call of {@link Trainer#train} did: the mean per-example training loss of its last epoch (as seen
 * during training, with dropout active and without the L2 term), the epochs run and the optimizer steps taken.
 */
public record TrainingResult(double lastEpochLoss, int epochs, long steps) {
}
