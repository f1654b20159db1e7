package org.fedmed.data.prep;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.csv.RawTable;

/**
 * The two-step protocol behind federated preprocessing statistics. Each site computes
 * {@link #moments(RawTable)} over its own rows; {@link #mergeMoments(List)} combines them into global
 * counts, means, variances and ranges without any row. For a median, each site then counts its values into
 * {@link #histograms(RawTable, List, int)} over the merged ranges, and {@link #mergeHistograms(List)} adds
 * them; the median and the clipping quantiles read from the merged histogram are approximate (within one bin
 * width). When clipping, each site finally computes {@link #clippedMoments(RawTable, double[][])} at the shared
 * bounds, merged like the first moments.
 */
public final class FederatedStatistics {

    private FederatedStatistics() {
    }

    /** One site's aggregates, one per raw feature column in schema order. */
    public static List<ColumnMoments> moments(RawTable site) {
        List<ColumnMoments> out = new ArrayList<>(site.cols());
        for (int f = 0; f < site.cols(); f++) {
            out.add(ColumnMoments.of(site.column(f)));
        }
        return out;
    }

    /** Column-wise merge of several sites' aggregates. */
    public static List<ColumnMoments> mergeMoments(List<List<ColumnMoments>> sites) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no site statistics to merge");
        }
        int cols = sites.getFirst().size();
        List<ColumnMoments> merged = new ArrayList<>(cols);
        for (int f = 0; f < cols; f++) {
            ColumnMoments m = ColumnMoments.EMPTY;
            for (List<ColumnMoments> site : sites) {
                if (site.size() != cols) {
                    throw new IllegalArgumentException("sites report different column counts: " + cols + " vs " + site.size());
                }
                m = m.merge(site.get(f));
            }
            merged.add(m);
        }
        return merged;
    }

    /**
     * One site's histograms, one per raw feature column, over the ranges of the merged moments
     * ({@code [min, max]}, or [0, 0] for a column with no present value anywhere).
     */
    public static List<Histogram> histograms(RawTable site, List<ColumnMoments> global, int bins) {
        List<Histogram> out = new ArrayList<>(site.cols());
        for (int f = 0; f < site.cols(); f++) {
            ColumnMoments g = global.get(f);
            double low = g.count() == 0 ? 0 : g.min();
            double high = g.count() == 0 ? 0 : g.max();
            out.add(Histogram.of(site.column(f), low, high, bins));
        }
        return out;
    }

    /** Column-wise sum of several sites' histograms. */
    public static List<Histogram> mergeHistograms(List<List<Histogram>> sites) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no site histograms to merge");
        }
        List<Histogram> merged = new ArrayList<>(sites.getFirst());
        for (int s = 1; s < sites.size(); s++) {
            for (int f = 0; f < merged.size(); f++) {
                merged.set(f, merged.get(f).merge(sites.get(s).get(f)));
            }
        }
        return merged;
    }

    /**
     * One site's aggregates of its values clipped to {@code bounds[feature] = {lower, upper}}, one per raw feature
     * column in schema order (NaN stays missing; infinite bounds clip nothing).
     */
    public static List<ColumnMoments> clippedMoments(RawTable site, double[][] bounds) {
        List<ColumnMoments> out = new ArrayList<>(site.cols());
        for (int f = 0; f < site.cols(); f++) {
            double[] column = site.column(f);
            double lower = bounds[f][0];
            double upper = bounds[f][1];
            for (int r = 0; r < column.length; r++) {
                if (!Double.isNaN(column[r])) {
                    column[r] = Math.min(Math.max(column[r], lower), upper);
                }
            }
            out.add(ColumnMoments.of(column));
        }
        return out;
    }

    /**
     * Exact q-quantile of the present values (NaN skipped), interpolating linearly between order statistics at
     * position {@code q * (n - 1)} (numpy's and R's default, type 7); NaN when none is present.
     */
    public static double exactQuantile(double[] values, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile q must lie in [0, 1], got " + q);
        }
        double[] present = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = present.length;
        if (n == 0) {
            return Double.NaN;
        }
        double h = q * (n - 1);
        int below = (int) Math.floor(h);
        int above = Math.min(below + 1, n - 1);
        return present[below] + (h - below) * (present[above] - present[below]);
    }

    /** Exact median of the present values (NaN skipped); NaN when none is present. */
    public static double exactMedian(double[] values) {
        double[] present = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = present.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
    }
}
