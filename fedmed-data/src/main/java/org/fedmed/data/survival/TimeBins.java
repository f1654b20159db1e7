package org.fedmed.data.survival;

import java.util.Arrays;

/**
 * The bin edges every site of a survival analysis shares, {@code e_0 < e_1 < ... < e_m}: bin j is
 * {@code [e_j, e_j+1)}. Follow-up is truncated at the last edge: a row whose time is {@code >= e_m} counts as
 * censored in the last bin (an event after {@code e_m} is not seen), so the curve is estimated on
 * {@code [e_0, e_m)}. No row may lie before {@code e_0} (usually 0). Edges come from the plan, never from the data,
 * so they reveal nothing about a patient. Every instance is valid; the array is copied in and out.
 *
 * @param edges at least two finite, strictly increasing edges
 */
public record TimeBins(double[] edges) {

    public TimeBins {
        if (edges == null || edges.length < 2) {
            throw new IllegalArgumentException("time bins need at least two edges, got "
                    + (edges == null ? "none" : Arrays.toString(edges)));
        }
        edges = edges.clone();
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i])) {
                throw new IllegalArgumentException("time bin edge " + i + " is " + edges[i] + "; edges must be finite");
            }
            if (i > 0 && !(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("time bin edges must increase strictly, but edge " + i + " is "
                        + edges[i] + " after " + edges[i - 1]);
            }
        }
    }

    /** Edges {@code 0, width, 2 width, ..., count * width}: {@code count} bins of equal width from 0. */
    public static TimeBins uniform(double width, int count) {
        if (!(width > 0) || !Double.isFinite(width) || count < 1) {
            throw new IllegalArgumentException("uniform time bins need a finite width > 0 and a count >= 1, got width "
                    + width + " and count " + count);
        }
        double[] e = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            e[i] = i * width;
        }
        return new TimeBins(e);
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    /** Edge {@code i}. */
    public double edge(int i) {
        return edges[i];
    }

    /** Number of bins, one less than the edges. */
    public int count() {
        return edges.length - 1;
    }

    /** The last edge, where follow-up is truncated. */
    public double end() {
        return edges[edges.length - 1];
    }

    /**
     * The bin holding time {@code t}: j with {@code e_j <= t < e_j+1}, the last bin for {@code t >= e_m}, and -1 for
     * {@code t < e_0} (or NaN).
     */
    public int binOf(double t) {
        if (!(t >= edges[0])) {
            return -1;
        }
        if (t >= end()) {
            return count() - 1;
        }
        int lo = 0;
        int hi = count() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (edges[mid] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The coarser bins that start at the given edge indices (the first 0, increasing) and end at {@link #end()}. */
    public TimeBins coarsen(int[] starts) {
        double[] e = new double[starts.length + 1];
        for (int i = 0; i < starts.length; i++) {
            e[i] = edges[starts[i]];
        }
        e[starts.length] = end();
        return new TimeBins(e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeBins t && Arrays.equals(edges, t.edges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "TimeBins" + Arrays.toString(edges);
    }
}
