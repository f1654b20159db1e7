package org.fedmed.deploy.stats;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.stats.ColumnFigures;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.data.stats.SiteAnalytics;
import org.fedmed.data.stats.SmallCells;
import org.fedmed.data.survival.SurvivalCounts;
import org.fedmed.data.survival.SurvivalGrouping;
import org.fedmed.data.survival.SurvivalQuery;
import org.fedmed.data.survival.SurvivalRelease;
import org.fedmed.data.survival.TimeBins;
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

    /** A survival query as a SURVIVAL request carries it. */
    public static org.fedmed.transport.proto.SurvivalRequest survival(SurvivalQuery q) {
        var b = org.fedmed.transport.proto.SurvivalRequest.newBuilder().setTimeColumn(q.timeColumn())
                .setEventColumn(q.eventColumn());
        for (double e : q.bins().edges()) {
            b.addEdges(e);
        }
        switch (q.grouping()) {
            case SurvivalGrouping.None n -> { }
            case SurvivalGrouping.ByLevels l -> b.setLevels(org.fedmed.transport.proto.SurvivalLevels.newBuilder()
                    .setColumn(l.column()).setFirst(l.first()).setSecond(l.second()));
            case SurvivalGrouping.ByThreshold t -> b.setCut(org.fedmed.transport.proto.SurvivalCut.newBuilder()
                    .setColumn(t.column()).setCut(t.cut()));
        }
        return b.build();
    }

    /**
     * The survival query a SURVIVAL request carries.
     *
     * @throws IllegalArgumentException naming the field, for edges or a grouping that are not valid
     */
    public static SurvivalQuery survival(org.fedmed.transport.proto.SurvivalRequest r) {
        double[] edges = new double[r.getEdgesCount()];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = r.getEdges(i);
        }
        SurvivalGrouping grouping = switch (r.getGroupingCase()) {
            case LEVELS -> new SurvivalGrouping.ByLevels(r.getLevels().getColumn(), r.getLevels().getFirst(),
                    r.getLevels().getSecond());
            case CUT -> new SurvivalGrouping.ByThreshold(r.getCut().getColumn(), r.getCut().getCut());
            case GROUPING_NOT_SET -> new SurvivalGrouping.None();
        };
        return new SurvivalQuery(r.getTimeColumn(), r.getEventColumn(), grouping, new TimeBins(edges));
    }

    /** One group's release as a site sends it. */
    public static org.fedmed.transport.proto.SurvivalRelease survival(SurvivalRelease release) {
        var b = org.fedmed.transport.proto.SurvivalRelease.newBuilder().setGroup(release.group());
        switch (release) {
            case SurvivalCounts c -> {
                b.setK(c.k());
                for (int i = 0; i < c.count(); i++) {
                    b.addStarts(c.starts()[i]).addAtRisk(c.atRisk()[i]).addEvents(c.events()[i])
                            .addCensored(c.censored()[i]);
                }
            }
            case SurvivalRelease.Withheld w -> b.setK(w.k()).setWithheld(true).setReason(w.reason());
        }
        return b.build();
    }

    /**
     * The release site {@code siteId} sent, on the request's {@code bins}, rebuilt and so checked: counts that break
     * the small-cell rule under the k the site names, or that do not add up, are refused.
     *
     * @throws IllegalArgumentException naming the site, the group and the bin
     */
    public static SurvivalRelease survival(String siteId, TimeBins bins, org.fedmed.transport.proto.SurvivalRelease r) {
        if (r.getWithheld()) {
            return new SurvivalRelease.Withheld(siteId, r.getGroup(), r.getK(), r.getReason());
        }
        int n = r.getStartsCount();
        if (r.getAtRiskCount() != n || r.getEventsCount() != n || r.getCensoredCount() != n) {
            throw new IllegalArgumentException("site '" + siteId + "', group '" + r.getGroup() + "': " + n
                    + " bin starts but " + r.getAtRiskCount() + " at-risk, " + r.getEventsCount() + " event and "
                    + r.getCensoredCount() + " censored counts");
        }
        int[] starts = new int[n];
        long[] atRisk = new long[n];
        long[] events = new long[n];
        long[] censored = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = r.getStarts(i);
            atRisk[i] = r.getAtRisk(i);
            events[i] = r.getEvents(i);
            censored[i] = r.getCensored(i);
        }
        return new SurvivalCounts(siteId, r.getGroup(), r.getK(), bins, starts, atRisk, events, censored);
    }
}
