package org.fedmed.deploy.stats;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.stats.ColumnFigures;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.data.stats.SiteAnalytics;
import org.fedmed.data.stats.SmallCells;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.proto.ColumnStats;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.Released;
import org.fedmed.transport.proto.ReleasedColumn;

/**
 * The one codec between the data layer's statistics ({@link ColumnMoments}, {@link Histogram},
 * {@link DatasetFingerprint}) and the wire's messages. Doubles travel as IEEE 754 binary64, so a decoded value is
 * the encoded one bit for bit; a message that does not describe valid statistics is refused with the column named.
 */
public final class StatsCodec {

    private StatsCodec() {
    }

    /** One column's moments, and its histogram when {@code histogram} is not null. */
    public static ColumnStats column(ColumnMoments m, Histogram histogram) {
        ColumnStats.Builder b = ColumnStats.newBuilder().setCount(m.count()).setMissing(m.missing()).setSum(m.sum())
                .setSumSquaredDeviations(m.sumSquaredDeviations()).setMin(m.min()).setMax(m.max());
        if (histogram != null) {
            b.setHistogramLow(histogram.low()).setHistogramHigh(histogram.high());
            for (long c : histogram.counts()) {
                b.addHistogram(c);
            }
        }
        return b.build();
    }

    /** The columns' moments, in order. */
    public static List<ColumnMoments> moments(List<ColumnStats> columns) {
        List<ColumnMoments> out = new ArrayList<>(columns.size());
        for (int f = 0; f < columns.size(); f++) {
            ColumnStats c = columns.get(f);
            try {
                out.add(new ColumnMoments(c.getCount(), c.getMissing(), c.getSum(), c.getSumSquaredDeviations(),
                        c.getMin(), c.getMax()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + (f + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The columns' histograms, in order; empty when the columns carry none. */
    public static List<Histogram> histograms(List<ColumnStats> columns) {
        if (columns.isEmpty() || columns.getFirst().getHistogramCount() == 0) {
            return List.of();
        }
        List<Histogram> out = new ArrayList<>(columns.size());
        for (int f = 0; f < columns.size(); f++) {
            ColumnStats c = columns.get(f);
            try {
                out.add(new Histogram(c.getHistogramLow(), c.getHistogramHigh(),
                        c.getHistogramList().stream().mapToLong(Long::longValue).toArray()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + (f + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Merged statistics of {@code sites} (in merge order) as the wire carries them, without clipped moments. */
    public static MergedStats merged(String requestId, List<String> sites, List<ColumnMoments> moments,
                                     List<Histogram> histograms) {
        return merged(requestId, sites, moments, histograms, List.of());
    }

    /** Merged statistics of {@code sites} (in merge order), with the merged moments of the clipped values. */
    public static MergedStats merged(String requestId, List<String> sites, List<ColumnMoments> moments,
                                     List<Histogram> histograms, List<ColumnMoments> clipped) {
        MergedStats.Builder b = MergedStats.newBuilder().setRequestId(requestId).addAllSites(sites);
        for (int f = 0; f < moments.size(); f++) {
            b.addColumns(column(moments.get(f), histograms.isEmpty() ? null : histograms.get(f)));
        }
        for (ColumnMoments m : clipped) {
            b.addClipped(column(m, null));
        }
        return b.build();
    }

    /** What a site releases in analytics, as the wire carries it. */
    public static Released released(SiteAnalytics a) {
        Released.Builder b = Released.newBuilder().setK(a.k()).setRows(a.rows())
                .setCrossTabColumn(a.crossTabColumn() == null ? "" : a.crossTabColumn())
                .addAllCrossTabLevels(a.crossTabLevels());
        for (long c : a.labelCounts()) {
            b.addLabelCounts(c);
        }
        for (ColumnFigures c : a.columns()) {
            b.addColumns(ReleasedColumn.newBuilder().setName(c.name()).setCategorical(c.categorical())
                    .setPresent(c.present()).setMissing(c.missing()).setMean(c.mean()).setSd(c.sd()));
        }
        for (long[] row : a.crossTab()) {
            for (long c : row) {
                b.addCrossTab(c);
            }
        }
        return b.build();
    }

    /**
     * A site's released figures as the wire carried them; a count below k that is not marked suppressed is refused,
     * so that a site that does not suppress is caught rather than passed on.
     */
    public static SiteAnalytics released(String siteId, Released r) {
        long k = r.getK();
        java.util.function.LongConsumer check = c -> {
            if (c != SmallCells.SUPPRESSED && !SmallCells.releasable(c, k)) {
                throw new IllegalArgumentException("site '" + siteId + "' released a count of " + c + " under k " + k);
            }
        };
        check.accept(r.getRows());
        long[] labels = r.getLabelCountsList().stream().mapToLong(Long::longValue).toArray();
        java.util.Arrays.stream(labels).forEach(check);
        List<ColumnFigures> cols = new ArrayList<>();
        for (ReleasedColumn c : r.getColumnsList()) {
            check.accept(c.getPresent());
            check.accept(c.getMissing());
            cols.add(new ColumnFigures(c.getName(), c.getCategorical(), c.getPresent(), c.getMissing(), c.getMean(),
                    c.getSd(), Double.NaN, Double.NaN, Double.NaN));
        }
        int levels = r.getCrossTabLevelsCount();
        long[][] cross = new long[levels == 0 ? 0 : levels + 1][];
        int classes = labels.length;
        if (cross.length > 0 && r.getCrossTabCount() != cross.length * classes) {
            throw new IllegalArgumentException("site '" + siteId + "' sent a cross-tabulation of "
                    + r.getCrossTabCount() + " cells for " + cross.length + " rows and " + classes + " classes");
        }
        for (int row = 0; row < cross.length; row++) {
            cross[row] = new long[classes];
            for (int c = 0; c < classes; c++) {
                cross[row][c] = r.getCrossTab(row * classes + c);
                check.accept(cross[row][c]);
            }
        }
        return new SiteAnalytics(siteId, k, r.getRows(), labels, cols,
                r.getCrossTabColumn().isEmpty() ? null : r.getCrossTabColumn(), r.getCrossTabLevelsList(), cross);
    }

    /** A fingerprint as a site reports it in Hello. */
    public static DefinitionReport report(DatasetFingerprint f) {
        return new DefinitionReport(f.sha256(), f.columns().stream().map(DatasetFingerprint.Column::name).toList(),
                f.columns().stream().map(DatasetFingerprint.Column::description).toList());
    }

    /** A reported fingerprint, for comparison with the server's own. */
    public static DatasetFingerprint fingerprint(DefinitionReport r) {
        List<DatasetFingerprint.Column> cols = new ArrayList<>();
        for (int i = 0; i < r.columnNames().size(); i++) {
            cols.add(new DatasetFingerprint.Column(r.columnNames().get(i), r.descriptions().get(i)));
        }
        return new DatasetFingerprint(cols, r.sha256());
    }
}
