package org.fedmed.deploy.stats;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.proto.ColumnStats;
import org.fedmed.transport.proto.MergedStats;

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

    /** Merged statistics of {@code sites} (in merge order) as the wire carries them. */
    public static MergedStats merged(String requestId, List<String> sites, List<ColumnMoments> moments,
                                     List<Histogram> histograms) {
        MergedStats.Builder b = MergedStats.newBuilder().setRequestId(requestId).addAllSites(sites);
        for (int f = 0; f < moments.size(); f++) {
            b.addColumns(column(moments.get(f), histograms.isEmpty() ? null : histograms.get(f)));
        }
        return b.build();
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
