package org.fedmed.data.survival;

import java.util.Arrays;
import org.fedmed.data.stats.SmallCells;

/**
 * A site's released survival counts for one group, on bins it merged from the shared {@link TimeBins} (see
 * {@link SurvivalRelease} for the rule): merged bin i starts at shared edge {@code starts[i]} and ends where the next
 * starts (the last at the last edge), and holds the rows at risk at its start, the events in it and the rows censored
 * in it. Every instance keeps the small-cell rule and is consistent, so a server can check what a site sent by
 * building one: each count is 0 or at least k, the at-risk count of each bin is that of the one before minus its
 * events and censored rows, and every row leaves by the end of the last bin. Arrays are copied in and out.
 *
 * @param k the k the site applied
 */
public record SurvivalCounts(String siteId, String group, long k, TimeBins bins, int[] starts, long[] atRisk,
                             long[] events, long[] censored) implements SurvivalRelease {

    public SurvivalCounts {
        String where = "site '" + siteId + "', group '" + group + "'";
        int n = starts.length;
        if (n < 1 || atRisk.length != n || events.length != n || censored.length != n) {
            throw new IllegalArgumentException(where + ": survival counts need one start, at-risk, event and censored"
                    + " count per bin, got " + starts.length + ", " + atRisk.length + ", " + events.length + ", "
                    + censored.length);
        }
        if (starts[0] != 0) {
            throw new IllegalArgumentException(where + ": the first bin must start at edge 0, got " + starts[0]);
        }
        for (int i = 1; i < n; i++) {
            if (starts[i] <= starts[i - 1] || starts[i] >= bins.count()) {
                throw new IllegalArgumentException(where + ": bin starts must increase within the " + bins.count()
                        + " shared bins, got " + Arrays.toString(starts));
            }
        }
        for (int i = 0; i < n; i++) {
            for (long v : new long[] {atRisk[i], events[i], censored[i]}) {
                if (v < 0 || !SmallCells.releasable(v, k)) {
                    throw new IllegalArgumentException(where + ": bin " + i + " holds a count of " + v
                            + ", which the small-cell rule (k = " + k + ") does not release");
                }
            }
            long left = atRisk[i] - events[i] - censored[i];
            long next = i + 1 < n ? atRisk[i + 1] : 0;
            if (left != next) {
                throw new IllegalArgumentException(where + ": bin " + i + " has " + atRisk[i] + " at risk, "
                        + events[i] + " events and " + censored[i] + " censored, so " + left + " should be at risk "
                        + (i + 1 < n ? "in bin " + (i + 1) + ", got " + next : "after the last bin, where every row"
                        + " has left"));
            }
        }
        starts = starts.clone();
        atRisk = atRisk.clone();
        events = events.clone();
        censored = censored.clone();
    }

    /** Number of merged bins. */
    public int count() {
        return starts.length;
    }

    /** The rows of the group: those at risk at the start. */
    public long rows() {
        return atRisk[0];
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    @Override
    public long[] atRisk() {
        return atRisk.clone();
    }

    @Override
    public long[] events() {
        return events.clone();
    }

    @Override
    public long[] censored() {
        return censored.clone();
    }

    /** The merged bins as edges of their own. */
    public TimeBins mergedBins() {
        return bins.coarsen(starts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurvivalCounts s && siteId.equals(s.siteId) && group.equals(s.group) && k == s.k
                && bins.equals(s.bins) && Arrays.equals(starts, s.starts) && Arrays.equals(atRisk, s.atRisk)
                && Arrays.equals(events, s.events) && Arrays.equals(censored, s.censored);
    }

    @Override
    public int hashCode() {
        return siteId.hashCode() * 31 + Arrays.hashCode(atRisk);
    }

    @Override
    public String toString() {
        return "SurvivalCounts[" + siteId + "/" + group + ", k " + k + ", starts " + Arrays.toString(starts)
                + ", at risk " + Arrays.toString(atRisk) + ", events " + Arrays.toString(events) + ", censored "
                + Arrays.toString(censored) + "]";
    }
}
