package org.fedmed.ml;

import java.util.SplittableRandom;

/**
 * A site's place in its shuffled training order, kept from one {@code local_steps} fit to the next so that round
 * r + 1 continues where round r stopped. The order is seeded by the first fit it serves: the generator is
 * {@code new SplittableRandom(seed)} after one {@code split()} (the state the epoch trainer shuffles with once it
 * has split off its dropout stream), and each pass over the rows applies a Fisher-Yates shuffle
 * ({@link Trainer#shuffle}) to the previous pass's order, starting from {@code 0, 1, ..., n - 1}. A batch never
 * spans two passes: the last batch of a pass holds the rows left in it, so it may be smaller than the batch size,
 * and the next batch starts a new pass. S steps in one fit and S steps split over several fits therefore visit the
 * same rows in the same order, and the first {@code E * ceil(n / B)} steps visit exactly what E local epochs with
 * the first fit's seed do.
 *
 * <p>The cursor lives in memory; {@link #state} gives where it stands as named values and {@link #restore} puts a
 * new cursor there, so a site that keeps its training state in a file continues the order after a restart. A site {@linkplain #mark() marks} the cursor at the start of each
 * round's fit and {@linkplain #rewind rewinds} to that mark when a round it already trained is asked again (a server
 * resumed from an earlier round), so the re-run takes the batches the round took the first time. Not thread-safe; a
 * site serializes the fits that share a cursor.
 */
public final class BatchCursor {

    private int[] order;
    private SplittableRandom rng;
    private int position;
    private int batchStart;
    private long passes;
    private long seed;

    /** A cursor that has served no fit yet; the first fit's seed and row count fix its order. */
    public BatchCursor() {
    }

    /** Whether a fit has seeded this cursor. */
    public boolean started() {
        return order != null;
    }

    /**
     * Seeds the cursor on its first use; afterwards only checks that the rows are the same.
     *
     * @throws IllegalStateException if the cursor already serves a dataset with another row count
     */
    public void start(int rows, long firstSeed) {
        if (rows < 1) {
            throw new IllegalArgumentException("cannot order a dataset with no rows");
        }
        if (order != null) {
            if (order.length != rows) {
                throw new IllegalStateException("the site's batch cursor orders " + order.length
                        + " training rows but this fit trains on " + rows);
            }
            return;
        }
        order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        rng = new SplittableRandom(firstSeed);
        rng.split();
        position = rows;
        seed = firstSeed;
    }

    /**
     * Moves to the next batch of at most {@code batch} rows, shuffling a new pass first when the current one is
     * used up, and returns how many rows it holds; they are {@code order()[batchStart() ..]}.
     */
    public int advance(int batch) {
        if (position == order.length) {
            Trainer.shuffle(order, rng);
            position = 0;
            passes++;
        }
        batchStart = position;
        int count = Math.min(batch, order.length - position);
        position += count;
        return count;
    }

    /** The current pass's order; valid until the next {@link #advance}. */
    public int[] order() {
        return order;
    }

    /** Where the batch {@link #advance} last chose starts in {@link #order()}. */
    public int batchStart() {
        return batchStart;
    }

    /** Rows of the current pass already visited (n once a pass is used up); 0 before the first fit. */
    public int position() {
        return order == null ? 0 : position == order.length && passes == 0 ? 0 : position;
    }

    /** Passes begun so far: 1 during the first pass, 0 before the first fit. */
    public long passes() {
        return passes;
    }

    /** Where a cursor stood: the passes begun and the position in the current one. */
    public record Mark(long passes, int position) {
    }

    /** Where this cursor stands now, to {@link #rewind} to later. */
    public Mark mark() {
        return new Mark(passes, position);
    }

    /**
     * Puts the cursor back where it stood at {@code mark}, rebuilding that pass's order from the seed (the generator
     * is replayed through every shuffle before it, so this costs one shuffle per pass and is meant for the rare
     * re-run of a round). A cursor not yet started, or marked before it started, is left to start afresh.
     */
    public void rewind(Mark mark) {
        if (order == null) {
            return;
        }
        int rows = order.length;
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        rng = new SplittableRandom(seed);
        rng.split();
        for (long p = 0; p < mark.passes(); p++) {
            Trainer.shuffle(order, rng);
        }
        passes = mark.passes();
        position = mark.passes() == 0 ? rows : mark.position();
        batchStart = 0;
    }

    /** The seed of the fit that started this cursor; meaningful once {@link #started()}. */
    public long seed() {
        return seed;
    }

    /**
     * Where this cursor stands, as named values under {@code prefix} ({@code <prefix>.seed}, {@code .rows},
     * {@code .passes}, {@code .position}), for {@link #restore}; none before its first fit.
     */
    public java.util.Map<String, String> state(String prefix) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (order != null) {
            out.put(prefix + ".seed", Long.toString(seed));
            out.put(prefix + ".rows", Integer.toString(order.length));
            out.put(prefix + ".passes", Long.toString(passes));
            out.put(prefix + ".position", Integer.toString(position));
        }
        return out;
    }

    /**
     * Puts this cursor, which has served no fit yet, where {@link #state} with {@code prefix} said a cursor stood:
     * it then gives the batches that one would have given next. Values that hold no cursor leave it unstarted.
     *
     * @throws IllegalStateException    if this cursor has already started
     * @throws IllegalArgumentException naming the value, if one is missing or out of range
     */
    public void restore(java.util.Map<String, String> values, String prefix) {
        if (order != null) {
            throw new IllegalStateException("a batch cursor that has served a fit cannot be restored");
        }
        if (!values.containsKey(prefix + ".seed")) {
            return;
        }
        int rows = Math.toIntExact(number(values, prefix + ".rows"));
        long p = number(values, prefix + ".passes");
        long pos = number(values, prefix + ".position");
        if (rows < 1 || p < 0 || pos < 0 || pos > rows) {
            throw new IllegalArgumentException("batch cursor state '" + prefix + "': rows " + rows + ", passes " + p
                    + ", position " + pos + " do not describe a cursor (rows >= 1, 0 <= position <= rows)");
        }
        start(rows, number(values, prefix + ".seed"));
        rewind(new Mark(p, (int) pos));
    }

    /** Reads the whole number {@code key} of {@code values}, naming it when it is missing or not a number. */
    static long number(java.util.Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("training state value '" + key + "' is missing");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("training state value '" + key + "' must be a whole number, got '" + v
                    + "'", e);
        }
    }
}
