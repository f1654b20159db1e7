package org.fedmed.ml;

import java.util.Objects;

/**
 * The two seams of one fit of {@link Trainer}: where each step's gradient comes from and how its batches are
 * sampled. {@link #PLAIN} is ordinary mini-batch training; DP-SGD is its per-example clipped, noised gradient with
 * Poisson or shuffled batches. The local terms of the fit are applied after the gradient either way.
 *
 * @param gradient the gradient seam
 * @param batches  the batch seam
 */
public record TrainingSeams(GradientSource gradient, BatchSampler batches) {

    /** The model's mini-batch gradient over shuffled passes. */
    public static final TrainingSeams PLAIN = new TrainingSeams(GradientSource.PLAIN, BatchSampler.SHUFFLED);

    public TrainingSeams {
        Objects.requireNonNull(gradient, "gradient");
        Objects.requireNonNull(batches, "batches");
    }
}
