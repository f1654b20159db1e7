package org.fedmed.data.partition;

import java.util.SplittableRandom;
import org.fedmed.data.split.Shuffle;

/**
 * Quantity-skew partition: site sizes follow proportions drawn from a symmetric Dirichlet(alpha), and
 * rows, in seeded random order regardless of label, are cut into blocks of those sizes, so labels stay IID.
 * Small alpha gives very unequal sizes. Draws are repeated until every site has at least
 * {@code minRowsPerSite} rows, failing clearly after {@value DirichletPartitioner#MAX_ATTEMPTS} draws.
 */
public record QuantitySkewPartitioner(double alpha, int minRowsPerSite) implements Partitioner {

    public QuantitySkewPartitioner {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("quantity-skew partitioner field 'alpha' must be finite and > 0, got " + alpha);
        }
        if (minRowsPerSite < 0) {
            throw new IllegalArgumentException("quantity-skew partitioner field 'minRowsPerSite' must be >= 0, got " + minRowsPerSite);
        }
    }

    @Override
    public Partition partition(int[] labels, int classes, int sites, long seed) {
        Partitioner.byClass(labels, classes, sites);
        int n = labels.length;
        if ((long) sites * minRowsPerSite > n) {
            throw new IllegalArgumentException(n + " rows cannot give " + sites + " sites at least "
                    + minRowsPerSite + " rows each");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = null;
        for (int attempt = 0; attempt < DirichletPartitioner.MAX_ATTEMPTS && sizes == null; attempt++) {
            int[] trial = Dirichlet.counts(Dirichlet.sample(rng, alpha, sites), n);
            if (java.util.Arrays.stream(trial).min().orElse(0) >= minRowsPerSite) {
                sizes = trial;
            }
        }
        if (sizes == null) {
            throw new IllegalArgumentException("no Dirichlet(" + alpha + ") draw in " + DirichletPartitioner.MAX_ATTEMPTS
                    + " gave all " + sites + " sites at least " + minRowsPerSite + " rows; raise alpha or use fewer sites");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Shuffle.shuffle(order, rng);
        int[][] out = new int[sites][];
        int k = 0;
        for (int s = 0; s < sites; s++) {
            out[s] = java.util.Arrays.copyOfRange(order, k, k + sizes[s]);
            k += sizes[s];
        }
        return new Partition(n, out);
    }
}
