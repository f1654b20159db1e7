package org.fedmed.ml;

import java.util.SplittableRandom;

/**
 * Poisson-sampled batches: at every step each of the n rows joins the batch independently with probability
 * q = B / n, so a batch holds B rows on average and possibly none. This is the sampling the RDP analysis of
 * DP-SGD assumes. The draws come from {@code new SplittableRandom(seed)} after one {@code split()} (the split
 * being the fit's dropout stream), the chosen rows are listed in increasing order, and a batch of B >= n takes
 * every row.
 */
public final class PoissonBatches implements MiniBatches {

    private final int[] rows;
    private final int batch;
    private final double q;
    private final SplittableRandom rng;
    private int count;

    PoissonBatches(int n, int batch, long seed) {
        this.rows = new int[n];
        this.batch = batch;
        this.q = (double) batch / n;
        this.rng = new SplittableRandom(seed);
        rng.split();
    }

    @Override
    public int next() {
        count = sample(rows, rows.length, q, rng);
        return count;
    }

    @Override
    public int[] rows() {
        return rows;
    }

    @Override
    public int from() {
        return 0;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int expectedSize() {
        return batch;
    }

    /** Fills {@code out} with the rows a Poisson draw at rate q picks, in increasing order; returns how many. */
    public static int sample(int[] out, int n, double q, SplittableRandom rng) {
        if (q >= 1) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return n;
        }
        double logKeepOut = Math.log1p(-q);
        int count = 0;
        long i = -1;
        while (true) {
            // The gap to the next chosen row is geometric: skip floor(log(U) / log(1 - q)) rows.
            double gap = Math.floor(Math.log(1 - rng.nextDouble()) / logKeepOut);
            i += 1 + (long) Math.min(gap, n);
            if (i >= n) {
                return count;
            }
            out[count++] = (int) i;
        }
    }
}
