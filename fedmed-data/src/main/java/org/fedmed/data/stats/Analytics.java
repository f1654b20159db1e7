package org.fedmed.data.stats;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Histogram;

/**
 * Federated analytics over sites' training rows: per-site and pooled counts, means, standard deviations,
 * missingness, quartiles read from histograms over the merged ranges, and a cross-tabulation of a categorical column
 * by the label, with no count below k released (see {@link SmallCells} for the rule). Each site's figures are what
 * that site releases ({@link SiteAnalytics}); the pooled figures are computed from the sites' released counts and,
 * for means, deviations and quartiles, from the merged moments and histograms, which are released only when the
 * pooled present count is (every site's present count released), so that no pooled figure and the sites' released
 * ones together give back a suppressed count. Sites are taken in {@link SiteOrder canonical order}.
 */
public final class Analytics {

    /** The quartiles reported. */
    static final double[] QUARTILES = {0.25, 0.5, 0.75};

    private Analytics() {
    }

    /**
     * The analytics of sites {@code siteIds} with training tables {@code trains} (same order, one schema).
     *
     * @throws IllegalArgumentException if a site has fewer training rows than its k, or the cross-tabulated column
     *                                  is not a categorical feature
     */
    public static AnalyticsReport run(String dataset, List<String> siteIds, List<RawTable> trains,
                                      AnalyticsOptions options) {
        int[] order = SiteOrder.canonical(siteIds);
        List<SiteAnalytics> sites = new ArrayList<>();
        List<RawTable> tables = new ArrayList<>();
        for (int pos = 0; pos < order.length; pos++) {
            String id = siteIds.get(order[pos]);
            RawTable t = trains.get(order[pos]);
            tables.add(t);
            sites.add(SiteAnalytics.of(id, t, options.kOf(id), options.crossTabColumn(), options.noise(),
                    options.noise() == null ? null : options.noise().streamFor(id)));
        }
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(
                tables.stream().map(FederatedStatistics::moments).toList());
        List<Histogram> histograms = FederatedStatistics.mergeHistograms(tables.stream()
                .map(t -> FederatedStatistics.histograms(t, global, options.bins())).toList());
        return report(dataset, options, sites, global, histograms);
    }

    /**
     * The report of the sites' releases ({@code sites}, in canonical order, each already suppressed under its k)
     * pooled with the merged moments and histograms of the same sites' training rows, which give the pooled means,
     * deviations and quartiles (released only when the pooled present count is). A deployment's server calls this
     * with what its sites sent. With noise on, neither is read (no mean, deviation or quartile is released), and
     * both may be empty.
     */
    public static AnalyticsReport report(String dataset, AnalyticsOptions options, List<SiteAnalytics> sites,
                                         List<ColumnMoments> global, List<Histogram> histograms) {
        long pooledK = options.k();
        for (SiteAnalytics s : sites) {
            pooledK = Math.max(pooledK, s.k());
        }
        return new AnalyticsReport(dataset, options, pooledK, sites, pooled(sites, global, histograms, pooledK,
                options));
    }

    private static SiteAnalytics pooled(List<SiteAnalytics> sites, List<ColumnMoments> global,
                                        List<Histogram> histograms, long k, AnalyticsOptions options) {
        SiteAnalytics first = sites.getFirst();
        long rows = SmallCells.pool(sites.stream().mapToLong(SiteAnalytics::rows).toArray());
        rows = rows == SmallCells.SUPPRESSED || SmallCells.releasable(rows, k) ? rows : SmallCells.SUPPRESSED;
        long[] labels = new long[first.labelCounts().length];
        for (int c = 0; c < labels.length; c++) {
            final int cls = c;
            labels[c] = SmallCells.pool(sites.stream().mapToLong(s -> s.labelCounts()[cls]).toArray());
        }
        labels = SmallCells.suppressLine(labels, k);

        List<ColumnFigures> columns = new ArrayList<>();
        for (int f = 0; f < first.columns().size(); f++) {
            final int col = f;
            long[] pm = SmallCells.suppressLine(new long[] {
                    SmallCells.pool(sites.stream().mapToLong(s -> s.columns().get(col).present()).toArray()),
                    SmallCells.pool(sites.stream().mapToLong(s -> s.columns().get(col).missing()).toArray())}, k);
            ColumnFigures any = first.columns().get(f);
            boolean release = options.noise() == null && !any.categorical() && pm[0] != SmallCells.SUPPRESSED
                    && global.get(f).count() >= k;
            ColumnMoments g = release ? global.get(f) : null;
            Histogram h = release ? histograms.get(f) : null;
            columns.add(new ColumnFigures(any.name(), any.categorical(), pm[0], pm[1],
                    release ? g.mean() : Double.NaN, release ? Math.sqrt(g.variance()) : Double.NaN,
                    release ? h.quantile(QUARTILES[0]) : Double.NaN, release ? h.quantile(QUARTILES[1]) : Double.NaN,
                    release ? h.quantile(QUARTILES[2]) : Double.NaN));
        }

        long[][] cross = new long[first.crossTab().length][];
        for (int r = 0; r < cross.length; r++) {
            cross[r] = new long[first.crossTab()[r].length];
            for (int c = 0; c < cross[r].length; c++) {
                final int row = r;
                final int cls = c;
                cross[r][c] = SmallCells.pool(sites.stream().mapToLong(s -> s.crossTab()[row][cls]).toArray());
            }
        }
        cross = SmallCells.suppress(cross, k);
        return new SiteAnalytics(AnalyticsReport.POOLED, k, rows, labels, columns, first.crossTabColumn(),
                first.crossTabLevels(), cross);
    }
}
