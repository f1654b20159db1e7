package org.fedmed.ml;

/**
 * The batch seam of {@link Trainer}: how a fit picks the rows of each step. Epochs and steps are counted the same
 * way for both choices (an epoch is ceil(n / B) steps, B capped at n); only which rows a step takes differs.
 */
public enum BatchSampler {

    /**
     * Shuffled passes over the rows ({@link BatchCursor}): every pass visits each row once in batches of B, the last
     * batch of a pass holding the rows left. An epochs fit starts a fresh order from its seed; a {@code local_steps}
     * fit continues the site's cursor.
     */
    SHUFFLED,

    /** Each row joins each step's batch independently with probability B / n ({@link PoissonBatches}). */
    POISSON;

    /**
     * The batches of one fit over {@code rows} rows, of size (or expected size) {@code batch}, seeded by the fit's
     * seed; shuffled batches come from {@code cursor} (started here if it is new), Poisson batches ignore it.
     */
    public MiniBatches open(int rows, int batch, long seed, BatchCursor cursor) {
        return switch (this) {
            case SHUFFLED -> new ShuffledBatches(cursor, rows, batch, seed);
            case POISSON -> new PoissonBatches(rows, batch, seed);
        };
    }
}
