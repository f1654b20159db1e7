package org.fedmed.data.survival;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sites' released counts added up on the bins every one of them kept: a shared edge is a bin start here only when
 * it starts a merged bin at every site pooled, so each pooled bin is a union of whole merged bins of every site, and
 * its counts are sums of released counts (each 0 or at least k, so the sums are too). The at-risk count of a pooled
 * bin is the sites' at-risk counts at its start. Sites that withheld their counts are left out entirely (listed in
 * {@link #withheld()}), so no pooled figure holds anything of theirs and none can be subtracted to give it back. Arrays
 * are copied in and out.
 *
 * @param bins     the shared bins
 * @param starts   the shared edge at which each pooled bin starts
 * @param sites    the sites pooled, in the order given
 * @param withheld the sites that released nothing for (one of) the groups pooled, in the order given
 */
public record PooledSurvivalCounts(TimeBins bins, int[] starts, long[] atRisk, long[] events, long[] censored,
                                   List<String> sites, List<String> withheld) {

    public PooledSurvivalCounts {
        starts = starts.clone();
        atRisk = atRisk.clone();
        events = events.clone();
        censored = censored.clone();
        sites = List.copyOf(sites);
        withheld = List.copyOf(withheld);
    }

    /**
     * The released counts among {@code releases} pooled on the bins all of them kept.
     *
     * @throws IllegalArgumentException if no release holds counts, or they were made on different shared bins
     */
    public static PooledSurvivalCounts pool(List<? extends SurvivalRelease> releases) {
        List<SurvivalCounts> counts = released(releases);
        return poolOn(counts, commonStarts(counts), withheldSites(releases));
    }

    /** The counts of {@code counts} pooled on the pooled bins starting at shared edges {@code starts}. */
    static PooledSurvivalCounts poolOn(List<SurvivalCounts> counts, int[] starts, List<String> withheld) {
        TimeBins bins = counts.getFirst().bins();
        int n = starts.length;
        long[] atRisk = new long[n];
        long[] events = new long[n];
        long[] censored = new long[n];
        List<String> sites = new ArrayList<>();
        for (SurvivalCounts c : counts) {
            if (!sites.contains(c.siteId())) {
                sites.add(c.siteId());
            }
            int[] own = c.starts();
            long[] r = c.atRisk();
            long[] d = c.events();
            long[] cz = c.censored();
            int i = -1;
            for (int b = 0; b < own.length; b++) {
                if (i + 1 < n && own[b] == starts[i + 1]) {
                    i++;
                    atRisk[i] += r[b];
                } else if (i < 0 || (i + 1 < n && own[b] > starts[i + 1])) {
                    throw new IllegalArgumentException("site '" + c.siteId() + "': its bins starting at "
                            + Arrays.toString(own) + " do not all lie within the pooled bins starting at "
                            + Arrays.toString(starts));
                }
                events[i] += d[b];
                censored[i] += cz[b];
            }
        }
        return new PooledSurvivalCounts(bins, starts, atRisk, events, censored, sites, withheld);
    }

    /** The released counts of {@code releases}, checked to share their bins. */
    static List<SurvivalCounts> released(List<? extends SurvivalRelease> releases) {
        List<SurvivalCounts> counts = new ArrayList<>();
        for (SurvivalRelease r : releases) {
            if (r instanceof SurvivalCounts c) {
                if (!counts.isEmpty() && !counts.getFirst().bins().equals(c.bins())) {
                    throw new IllegalArgumentException("site '" + c.siteId() + "' counted on " + c.bins()
                            + " but site '" + counts.getFirst().siteId() + "' on " + counts.getFirst().bins()
                            + "; every site must count on the same shared bins");
                }
                counts.add(c);
            }
        }
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("no site released survival counts (withheld: "
                    + withheldSites(releases) + "); there is nothing to pool");
        }
        return counts;
    }

    /** The shared edges at which every one of {@code counts} starts a merged bin. */
    static int[] commonStarts(List<SurvivalCounts> counts) {
        int m = counts.getFirst().bins().count();
        int[] hits = new int[m];
        for (SurvivalCounts c : counts) {
            for (int s : c.starts()) {
                hits[s]++;
            }
        }
        int kept = 0;
        for (int h : hits) {
            kept += h == counts.size() ? 1 : 0;
        }
        int[] starts = new int[kept];
        int i = 0;
        for (int j = 0; j < m; j++) {
            if (hits[j] == counts.size()) {
                starts[i++] = j;
            }
        }
        return starts;
    }

    static List<String> withheldSites(List<? extends SurvivalRelease> releases) {
        List<String> out = new ArrayList<>();
        for (SurvivalRelease r : releases) {
            if (r instanceof SurvivalRelease.Withheld && !out.contains(r.siteId())) {
                out.add(r.siteId());
            }
        }
        return out;
    }

    /** Number of pooled bins. */
    public int count() {
        return starts.length;
    }

    /** The pooled bins as edges of their own. */
    public TimeBins pooledBins() {
        return bins.coarsen(starts);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof PooledSurvivalCounts p && bins.equals(p.bins) && Arrays.equals(starts, p.starts)
                && Arrays.equals(atRisk, p.atRisk) && Arrays.equals(events, p.events)
                && Arrays.equals(censored, p.censored) && sites.equals(p.sites) && withheld.equals(p.withheld);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(atRisk) * 31 + sites.hashCode();
    }

    @Override
    public String toString() {
        return "PooledSurvivalCounts[sites " + sites + ", withheld " + withheld + ", bins from "
                + Arrays.toString(pooledBins().edges()) + ", at risk " + Arrays.toString(atRisk) + ", events "
                + Arrays.toString(events) + ", censored " + Arrays.toString(censored) + "]";
    }
}
