package org.fedmed.ml;

/**
 * One fit's sequence of mini-batches, positioned at the current one: what the {@link BatchSampler} seam gives
 * {@link Trainer}, and what a {@link GradientSource} reads its rows from. The batch is
 * {@code rows()[from() .. from() + count())}; the arrays stay valid until the next {@link #next()}. Not
 * thread-safe, like the fit it serves.
 */
public sealed interface MiniBatches permits ShuffledBatches, PoissonBatches {

    /** Moves to the next batch and returns how many rows it holds (0 is possible for a Poisson draw). */
    int next();

    /** The array the current batch's row indices lie in. */
    int[] rows();

    /** Where the current batch starts in {@link #rows()}. */
    int from();

    /** How many rows the current batch holds. */
    int count();

    /**
     * The batch size the sampling aims at, which DP-SGD divides its noisy sum by: the batch's own size for
     * shuffled batches, the expected size B = q n for Poisson batches.
     */
    int expectedSize();
}
