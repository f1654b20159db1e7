package org.fedmed.data.partition;

import java.util.Arrays;

/**
 * An assignment of a table's rows to sites: {@code sites[s]} holds the row indices of site s, sorted. Every
 * row index in 0..rows-1 is assigned to exactly one site; the constructor checks it.
 */
public record Partition(int rows, int[][] sites) {

    public Partition {
        if (rows < 0 || sites == null || sites.length == 0) {
            throw new IllegalArgumentException("partition needs rows >= 0 and at least one site");
        }
        int[][] copy = new int[sites.length][];
        boolean[] seen = new boolean[rows];
        for (int s = 0; s < sites.length; s++) {
            copy[s] = sites[s].clone();
            Arrays.sort(copy[s]);
            for (int r : copy[s]) {
                if (r < 0 || r >= rows || seen[r]) {
                    throw new IllegalArgumentException("partition field 'sites': row " + r + " is out of range or assigned twice");
                }
                seen[r] = true;
            }
        }
        for (int r = 0; r < rows; r++) {
            if (!seen[r]) {
                throw new IllegalArgumentException("partition field 'sites': row " + r + " is assigned to no site");
            }
        }
        sites = copy;
    }

    /** Number of sites. */
    public int siteCount() {
        return sites.length;
    }

    /** Rows per site. */
    public int[] sizes() {
        return Arrays.stream(sites).mapToInt(s -> s.length).toArray();
    }

    /** {@code counts[site][class]} for the given per-row labels. */
    public int[][] classCounts(int[] labels, int classes) {
        int[][] counts = new int[sites.length][classes];
        for (int s = 0; s < sites.length; s++) {
            for (int r : sites[s]) {
                counts[s][labels[r]]++;
            }
        }
        return counts;
    }
}
