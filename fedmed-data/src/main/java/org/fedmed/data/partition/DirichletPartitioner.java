package org.fedmed.data.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.split.Shuffle;

/**
 * Label-skew partition (as in NIID-Bench): for each class, proportions across sites are drawn from a
 * symmetric Dirichlet(alpha) and the class's rows, in seeded random order, are cut accordingly. Small alpha
 * concentrates each class on few sites; large alpha approaches IID. Draws are repeated until every site
 * has at least {@code minRowsPerSite} rows, and fail with a clear message if that does not happen within
 * {@value #MAX_ATTEMPTS} draws.
 */
public record DirichletPartitioner(double alpha, int minRowsPerSite) implements Partitioner {

    /** Draws tried before giving up on the minimum site size. */
    public static final int MAX_ATTEMPTS = 100_000;

    public DirichletPartitioner {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("dirichlet partitioner field 'alpha' must be finite and > 0, got " + alpha);
        }
        if (minRowsPerSite < 0) {
            throw new IllegalArgumentException("dirichlet partitioner field 'minRowsPerSite' must be >= 0, got " + minRowsPerSite);
        }
    }

    @Override
    public Partition partition(int[] labels, int classes, int sites, long seed) {
        int[][] byClass = Partitioner.byClass(labels, classes, sites);
        if ((long) sites * minRowsPerSite > labels.length) {
            throw new IllegalArgumentException(labels.length + " rows cannot give " + sites + " sites at least "
                    + minRowsPerSite + " rows each");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] counts = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && counts == null; attempt++) {
            int[][] trial = new int[classes][];
            int[] sizes = new int[sites];
            for (int c = 0; c < classes; c++) {
                trial[c] = Dirichlet.counts(Dirichlet.sample(rng, alpha, sites), byClass[c].length);
                for (int s = 0; s < sites; s++) {
                    sizes[s] += trial[c][s];
                }
            }
            if (java.util.Arrays.stream(sizes).min().orElse(0) >= minRowsPerSite) {
                counts = trial;
            }
        }
        if (counts == null) {
            throw new IllegalArgumentException("no Dirichlet(" + alpha + ") draw in " + MAX_ATTEMPTS + " gave all " + sites
                    + " sites at least " + minRowsPerSite + " rows; raise alpha or use fewer sites");
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            out.add(new ArrayList<>());
        }
        for (int c = 0; c < classes; c++) {
            int[] rows = byClass[c].clone();
            Shuffle.shuffle(rows, rng);
            int k = 0;
            for (int s = 0; s < sites; s++) {
                for (int i = 0; i < counts[c][s]; i++) {
                    out.get(s).add(rows[k++]);
                }
            }
        }
        return new Partition(labels.length, out.stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new));
    }
}
