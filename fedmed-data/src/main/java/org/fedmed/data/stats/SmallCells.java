package org.fedmed.data.stats;

import java.util.Arrays;

/**
 * Small-cell suppression: no count from 1 to k-1 is released, and no released figure lets one be recovered by
 * subtraction. A suppressed cell holds {@link #SUPPRESSED}. Zero is released: it names no one.
 *
 * <p>The rule, applied by each site to its own tables before anything leaves it, and again to the pooled tables:
 * <ol>
 *   <li>primary: every count in [1, k-1] is suppressed;</li>
 *   <li>complementary: in every line of a table (a row or a column), the suppressed cells must add up to 0 or to at
 *       least k, since the line's total is released (or can be) and the total minus the released cells is their
 *       sum; while they add up to less, the smallest released non-zero cell of that line is suppressed too (when none is
 *       left, the line's total is itself below k, and no site releases a total below k);</li>
 *   <li>pooled: a pooled cell is the sum of the sites' cells and is released only when every site's cell is
 *       released (so that no pooled figure minus the other sites' released ones gives a suppressed cell), and then
 *       itself passes rules 1 and 2 with the largest k of the sites it pools.</li>
 * </ol>
 */
public final class SmallCells {

    /** The value of a suppressed cell. */
    public static final long SUPPRESSED = -1;

    private SmallCells() {
    }

    /** Whether {@code count} may be released on its own under {@code k}: 0, or at least k. */
    public static boolean releasable(long count, long k) {
        return count == 0 || count >= k;
    }

    /** One line (cells whose total is released) with rules 1 and 2 applied; the input is not changed. */
    public static long[] suppressLine(long[] cells, long k) {
        long[][] t = {cells.clone()};
        suppressTable(t, k, false);
        return t[0];
    }

    /**
     * A table of counts ({@code table[row][column]}, all rows of one length) with rules 1 and 2 applied to every row
     * and every column, until no line changes; the input is not changed. Cells already {@link #SUPPRESSED} stay so
     * (their true values are unknown, so they count as at least k toward their lines).
     */
    public static long[][] suppress(long[][] table, long k) {
        long[][] t = new long[table.length][];
        for (int r = 0; r < t.length; r++) {
            t[r] = table[r].clone();
        }
        suppressTable(t, k, true);
        return t;
    }

    private static void suppressTable(long[][] t, long k, boolean columns) {
        long[][] truth = new long[t.length][];
        for (int r = 0; r < t.length; r++) {
            truth[r] = t[r].clone();
            for (int c = 0; c < t[r].length; c++) {
                if (t[r][c] != SUPPRESSED && !releasable(t[r][c], k)) {
                    t[r][c] = SUPPRESSED;
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < t.length; r++) {
                changed |= complement(t, truth, k, r, -1);
            }
            if (columns && t.length > 0) {
                for (int c = 0; c < t[0].length; c++) {
                    changed |= complement(t, truth, k, -1, c);
                }
            }
        }
    }

    /** Rule 2 on one row ({@code col < 0}) or one column; returns whether a cell was suppressed. */
    private static boolean complement(long[][] t, long[][] truth, long k, int row, int col) {
        int n = row >= 0 ? t[row].length : t.length;
        long hidden = 0;
        int smallest = -1;
        for (int i = 0; i < n; i++) {
            int r = row >= 0 ? row : i;
            int c = row >= 0 ? i : col;
            if (t[r][c] == SUPPRESSED) {
                hidden += truth[r][c] == SUPPRESSED ? k : truth[r][c];
            } else if (t[r][c] > 0 && (smallest < 0 || t[r][c] < valueAt(t, row, col, smallest))) {
                smallest = i;
            }
        }
        if (hidden == 0 || hidden >= k || smallest < 0) {
            return false;
        }
        if (row >= 0) {
            t[row][smallest] = SUPPRESSED;
        } else {
            t[smallest][col] = SUPPRESSED;
        }
        return true;
    }

    private static long valueAt(long[][] t, int row, int col, int i) {
        return row >= 0 ? t[row][i] : t[i][col];
    }

    /**
     * The pooled cell of the sites' released cells (rule 3, before rules 1 and 2 are applied to the pooled table):
     * their sum, or {@link #SUPPRESSED} when any of them is.
     */
    public static long pool(long... siteCells) {
        long sum = 0;
        for (long c : siteCells) {
            if (c == SUPPRESSED) {
                return SUPPRESSED;
            }
            sum += c;
        }
        return sum;
    }

    /** A line's cells for printing: counts, and "supp" for suppressed ones. */
    public static String show(long[] cells) {
        return Arrays.toString(Arrays.stream(cells).mapToObj(c -> c == SUPPRESSED ? "supp" : Long.toString(c)).toArray());
    }
}
