package org.fedmed.data.partition;

/**
 * Splits one table's rows across simulated sites. Implementations are deterministic in the seed: the same
 * labels, site count and seed always give the same {@link Partition}, and every row goes to exactly one
 * site.
 */
public interface Partitioner {

    /**
     * Assigns rows to {@code sites} sites.
     *
     * @param labels  per-row class index in 0..classes-1 (all 0 with classes 1 for regression)
     * @param classes number of classes, at least 1
     */
    Partition partition(int[] labels, int classes, int sites, long seed);

    /** Checks the common arguments; returns rows grouped by class, in row order. */
    static int[][] byClass(int[] labels, int classes, int sites) {
        if (classes < 1) {
            throw new IllegalArgumentException("partitioner needs classes >= 1, got " + classes);
        }
        if (sites < 1) {
            throw new IllegalArgumentException("partitioner needs sites >= 1, got " + sites);
        }
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("row " + i + " has label " + labels[i] + ", outside 0.." + (classes - 1));
            }
            counts[labels[i]]++;
        }
        int[][] rows = new int[classes][];
        for (int c = 0; c < classes; c++) {
            rows[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            rows[labels[i]][fill[labels[i]]++] = i;
        }
        return rows;
    }
}
