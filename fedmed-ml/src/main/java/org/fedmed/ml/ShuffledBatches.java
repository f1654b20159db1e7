package org.fedmed.ml;

/**
 * Batches of up to B rows taken in turn from the shuffled passes of a {@link BatchCursor}: a fresh cursor for an
 * epochs fit (so E epochs are E passes), the site's own for a {@code local_steps} fit.
 */
final class ShuffledBatches implements MiniBatches {

    private final BatchCursor cursor;
    private final int batch;
    private int count;

    ShuffledBatches(BatchCursor cursor, int rows, int batch, long seed) {
        cursor.start(rows, seed);
        this.cursor = cursor;
        this.batch = batch;
    }

    @Override
    public int next() {
        count = cursor.advance(batch);
        return count;
    }

    @Override
    public int[] rows() {
        return cursor.order();
    }

    @Override
    public int from() {
        return cursor.batchStart();
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int expectedSize() {
        return count;
    }
}
