package org.fedmed.data.survival;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.stats.SmallCells;

/**
 * What one site releases about one group of its rows for a Kaplan-Meier curve or a log-rank test: the counts per
 * time bin ({@link SurvivalCounts}), or nothing, with the reason ({@link Withheld}). The site computes it over its own
 * rows; only counts leave it, never a time.
 *
 * <p>The small-cell rule, as a data-protection officer would apply it to a survival table. The counts per bin are
 * events d, censored rows c and rows at risk at the bin's start n, and they are tied together: n of the next bin is
 * n - d - c of this one. Suppressing a small d alone would not hide it, since the released n's and c give it back by
 * subtraction; so a site does not suppress cells but merges bins, coarsening time, until none is left:
 * <ol>
 *   <li>the site counts d and c per shared bin (rows at or after the last edge count as censored in the last bin);</li>
 *   <li>it merges bins along a binary tree over the shared bins that every site builds the same way (a range of bins
 *       splits at its midpoint): a range keeps its two halves' bins when each half can be split into bins whose d
 *       and c are each 0 or at least k ({@link SmallCells#releasable}); when only one half can, the other is joined
 *       to the nearest bins of that one, as few as it takes; otherwise the range becomes one bin if its own d and c
 *       are;</li>
 *   <li>if even one bin holding every row does not reach that (fewer than k events, or fewer than k censored rows,
 *       in the whole group), or the group has fewer than k rows, the site releases nothing about the group.</li>
 * </ol>
 * Then every released d and c is 0 or at least k, and so is every n, since n is the sum of the d's and c's of the
 * bins from its own to the last; a difference of released figures is a sum of released cells. The bins a site
 * merged are visible (its curve is coarser there), which says only that some bin held fewer than k.
 *
 * <p>Because every site merges along the same tree, the edges sites keep are mostly the same tree edges, and the
 * pooled bins, which start only where every site's do ({@link PooledSurvivalCounts}), stay fine where the data are
 * dense; independent greedy merges at each site would share few edges.
 */
public sealed interface SurvivalRelease permits SurvivalCounts, SurvivalRelease.Withheld {

    /** The site the release comes from. */
    String siteId();

    /** The group of rows it describes (one arm of a log-rank test, or {@code all}). */
    String group();

    /** The group name of a release about all of a site's rows. */
    String ALL = "all";

    /**
     * Nothing about this group is released.
     *
     * @param reason in words, with counts only at the level of the rule ("fewer than k")
     */
    record Withheld(String siteId, String group, long k, String reason) implements SurvivalRelease {
    }

    /**
     * The release of site {@code siteId} about rows with {@code times} and {@code events}, on {@code bins}, under
     * {@code k}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, k is below 1, or a row's time lies before the
     *                                  first edge (naming how many, not their times)
     */
    static SurvivalRelease of(String siteId, String group, double[] times, boolean[] events, TimeBins bins, long k) {
        if (times.length != events.length) {
            throw new IllegalArgumentException("site '" + siteId + "', group '" + group + "': " + times.length
                    + " times but " + events.length + " event flags");
        }
        if (k < 1) {
            throw new IllegalArgumentException("survival counts: k must be >= 1, got " + k);
        }
        int m = bins.count();
        long[] d = new long[m];
        long[] c = new long[m];
        int before = 0;
        for (int r = 0; r < times.length; r++) {
            int b = bins.binOf(times[r]);
            if (b < 0) {
                before++;
                continue;
            }
            if (events[r] && times[r] < bins.end()) {
                d[b]++;
            } else {
                c[b]++;
            }
        }
        if (before > 0) {
            throw new IllegalArgumentException("site '" + siteId + "', group '" + group + "': " + before
                    + " row(s) have a time before the first bin edge " + bins.edge(0) + " (or no time); the edges"
                    + " must start at or below every time, usually at 0");
        }
        long n = times.length;
        if (!SmallCells.releasable(n, k) || n == 0) {
            return new Withheld(siteId, group, k, "the group has fewer than k = " + k + " rows");
        }
        long[] dPrefix = new long[m + 1];
        long[] cPrefix = new long[m + 1];
        for (int j = 0; j < m; j++) {
            dPrefix[j + 1] = dPrefix[j] + d[j];
            cPrefix[j + 1] = cPrefix[j] + c[j];
        }
        List<int[]> merged = new ArrayList<>();
        if (!partition(0, m, dPrefix, cPrefix, k, merged)) {
            return new Withheld(siteId, group, k, "the group's " + (SmallCells.releasable(dPrefix[m], k) ? "censored"
                    + " rows" : "events") + " are fewer than k = " + k + " even in one bin over all of follow-up");
        }
        int bins2 = merged.size();
        int[] starts = new int[bins2];
        long[] atRisk = new long[bins2];
        long[] events2 = new long[bins2];
        long[] censored = new long[bins2];
        long left = n;
        for (int i = 0; i < bins2; i++) {
            int[] span = merged.get(i);
            starts[i] = span[0];
            atRisk[i] = left;
            for (int j = span[0]; j < span[1]; j++) {
                events2[i] += d[j];
                censored[i] += c[j];
            }
            left -= events2[i] + censored[i];
        }
        return new SurvivalCounts(siteId, group, k, bins, starts, atRisk, events2, censored);
    }

    /**
     * Adds to {@code out} a partition of bins {@code [lo, hi)} into bins whose event and censored counts are each
     * releasable, and returns whether there is one. A range with two halves (split at its midpoint, the same tree at
     * every site) keeps both halves' partitions when both have one; when only one half has one, the other half is
     * joined to the nearest bins of it, as few as it takes; otherwise the range is one bin if it is releasable.
     */
    private static boolean partition(int lo, int hi, long[] d, long[] c, long k, List<int[]> out) {
        int size = out.size();
        if (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (partition(lo, mid, d, c, k, out)) {
                int afterLeft = out.size();
                if (partition(mid, hi, d, c, k, out)) {
                    return true;
                }
                truncate(out, afterLeft);
                while (out.size() > size) {
                    int from = out.removeLast()[0];
                    if (releasable(from, hi, d, c, k)) {
                        out.add(new int[] {from, hi});
                        return true;
                    }
                }
            } else {
                truncate(out, size);
                List<int[]> right = new ArrayList<>();
                if (partition(mid, hi, d, c, k, right)) {
                    for (int i = 0; i < right.size(); i++) {
                        int to = right.get(i)[1];
                        if (releasable(lo, to, d, c, k)) {
                            out.add(new int[] {lo, to});
                            out.addAll(right.subList(i + 1, right.size()));
                            return true;
                        }
                    }
                }
            }
            truncate(out, size);
        }
        if (releasable(lo, hi, d, c, k)) {
            out.add(new int[] {lo, hi});
            return true;
        }
        return false;
    }

    /** Whether bins {@code [lo, hi)} joined hold releasable event and censored counts (d, c are prefix sums). */
    private static boolean releasable(int lo, int hi, long[] d, long[] c, long k) {
        return SmallCells.releasable(d[hi] - d[lo], k) && SmallCells.releasable(c[hi] - c[lo], k);
    }

    private static void truncate(List<int[]> list, int size) {
        while (list.size() > size) {
            list.removeLast();
        }
    }

    /**
     * One release per group of a site's rows: {@code group[r]} is row r's index into {@code groupNames}.
     *
     * @throws IllegalArgumentException if a row's group index is out of range
     */
    static List<SurvivalRelease> byGroup(String siteId, double[] times, boolean[] events, int[] group,
                                         List<String> groupNames, TimeBins bins, long k) {
        if (group.length != times.length) {
            throw new IllegalArgumentException("site '" + siteId + "': " + times.length + " times but " + group.length
                    + " group indices");
        }
        List<SurvivalRelease> out = new ArrayList<>();
        for (int g = 0; g < groupNames.size(); g++) {
            int size = 0;
            for (int r = 0; r < group.length; r++) {
                if (group[r] < 0 || group[r] >= groupNames.size()) {
                    throw new IllegalArgumentException("site '" + siteId + "': row " + r + " has group index "
                            + group[r] + ", expected 0.." + (groupNames.size() - 1));
                }
                size += group[r] == g ? 1 : 0;
            }
            double[] t = new double[size];
            boolean[] e = new boolean[size];
            int i = 0;
            for (int r = 0; r < group.length; r++) {
                if (group[r] == g) {
                    t[i] = times[r];
                    e[i++] = events[r];
                }
            }
            out.add(of(siteId, groupNames.get(g), t, e, bins, k));
        }
        return out;
    }
}
