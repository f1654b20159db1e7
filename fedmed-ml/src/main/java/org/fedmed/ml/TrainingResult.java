package org.fedmed.ml;

/**
 * What one call of {@link Trainer#train} did: the mean per-example training loss of its last epoch (as seen
 * during training, with dropout active and without the L2 term; for a {@code local_steps} fit, over all of its
 * steps), the full epochs run (0 for a {@code local_steps} fit) and the optimizer steps taken.
 */
public record TrainingResult(double lastEpochLoss, int epochs, long steps) {
}
