package org.fedmed.deploy.site;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.stats.GaussianCountNoise;
import org.fedmed.data.stats.SiteAnalytics;
import org.fedmed.data.survival.SiteSurvival;
import org.fedmed.data.survival.SurvivalQuery;
import org.fedmed.data.survival.SurvivalRelease;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.transport.proto.ColumnRange;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.site.StatisticsResponder;

/**
 * A deployed site's side of the statistics exchange. It answers only the fixed statistics a request names
 * (moments, or histograms over the ranges sent, or moments of its values clipped at the bounds it reads from the
 * merged histograms sent, of its training rows; or, with the merged statistics, the model
 * inputs its preprocessing then produces; or, for analytics, what it releases ({@link SiteAnalytics}, with every
 * count below the larger of the server's k and its own {@code data.k} suppressed before it is sent), or its survival
 * counts per time bin ({@link SiteSurvival}, bins merged or the group withheld under that k)) and refuses any request when it has fewer training rows than the larger
 * of its {@code min_rows} and its k, or a request that mixes kinds, names none, or asks for a bin count outside
 * [2, {@value #MAX_BINS}]. When merged statistics arrive it builds its preprocessing from them with the same entry
 * point as the simulation ({@link SiteRows#prepare}) and hands the prepared rows to its {@link GovernedSite}; merged
 * statistics equal to the ones it already prepared from (a resumed server sends them again) are not built again, so
 * the site keeps the models it trains, and a personal model among them. No row, and no value of one, is ever
 * put in a reply: only counts, sums, extremes and bin counts over all of its training rows.
 */
public final class SiteStatisticsResponder implements StatisticsResponder {

    /** The most histogram bins a site computes. */
    public static final int MAX_BINS = 1 << 16;

    private final SiteRows rows;
    private final GovernedSite site;
    private final PrintWriter out;
    private final Consumer<LocalData> onPrepared;
    private MergedStats preparedFrom;
    private LocalData prepared;

    /** @param out where the site says that it prepared its data (null: nowhere) */
    public SiteStatisticsResponder(SiteRows rows, GovernedSite site, PrintWriter out) {
        this(rows, site, out, data -> { });
    }

    /** As above; {@code onPrepared} is told the prepared data each time the site prepares it (it writes it down). */
    public SiteStatisticsResponder(SiteRows rows, GovernedSite site, PrintWriter out, Consumer<LocalData> onPrepared) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.site = Objects.requireNonNull(site, "site");
        this.out = out;
        this.onPrepared = Objects.requireNonNull(onPrepared, "onPrepared");
    }

    @Override
    public synchronized StatsReply answer(StatsRequest request) throws Refused {
        long cohort = rows.train().rows();
        long floor = Math.max(rows.settings().minRows(), rows.settings().minCell());
        if (cohort < floor) {
            throw new Refused("the site has " + cohort + " training rows, fewer than " + floor
                    + " (the larger of its data.min_rows and data.k); it sends no statistics about so few rows");
        }
        if (request.getKindsCount() != 1) {
            throw new Refused("a statistics request must name exactly one kind, got " + request.getKindsList());
        }
        RawTable train = rows.train();
        StatsReply.Builder reply = StatsReply.newBuilder().setRows(cohort).setPreprocessing(
                org.fedmed.transport.proto.Preprocessing.newBuilder()
                        .setCanonical(rows.preprocessing().toString())
                        .setHistogramBins(Preprocessing.needsHistograms(rows.preprocessing())
                                ? rows.preprocessing().histogramBins() : 0)
                        .setClippedMoments(Preprocessing.needsClippedMoments(rows.preprocessing())));
        StatisticKind kind = request.getKinds(0);
        switch (kind) {
            case MOMENTS -> {
                for (ColumnMoments m : FederatedStatistics.moments(train)) {
                    reply.addColumns(StatsCodec.column(m, null));
                }
            }
            case HISTOGRAMS -> {
                int bins = request.getBins();
                if (bins < 2 || bins > MAX_BINS) {
                    throw new Refused("histogram bins must lie in [2, " + MAX_BINS + "], got " + bins);
                }
                if (request.getRangesCount() != train.cols()) {
                    throw new Refused("the request has " + request.getRangesCount() + " column ranges; the site's"
                            + " definition has " + train.cols() + " feature columns");
                }
                List<ColumnMoments> local = FederatedStatistics.moments(train);
                for (int f = 0; f < train.cols(); f++) {
                    ColumnRange r = request.getRanges(f);
                    Histogram h;
                    try {
                        h = Histogram.of(train.column(f), r.getLow(), r.getHigh(), bins);
                    } catch (IllegalArgumentException e) {
                        throw new Refused("column " + (f + 1) + ": " + e.getMessage());
                    }
                    reply.addColumns(StatsCodec.column(local.get(f), h));
                }
            }
            case CLIPPED_MOMENTS -> {
                List<Histogram> merged = StatsCodec.histograms(request.getMerged().getColumnsList());
                if (merged.size() != train.cols()) {
                    throw new Refused("clipped moments need the merged histograms of all " + train.cols()
                            + " feature columns, got " + merged.size());
                }
                for (ColumnMoments m : rows.clippedMoments(merged)) {
                    reply.addColumns(StatsCodec.column(m, null));
                }
            }
            case PREPARE -> {
                // a resumed server asks again with the same statistics: the site keeps its data and its models
                // (a personal model among them) rather than build them again
                LocalData data = request.getMerged().equals(preparedFrom) ? prepared : prepare(request.getMerged());
                reply.addAllFeatureNames(data.featureNames());
            }
            case RELEASE -> {
                long k = Math.max(request.getMinCell(), rows.settings().minCell());
                try {
                    GaussianCountNoise noise = request.getNoiseEpsilon() == 0 ? null : new GaussianCountNoise(
                            request.getNoiseEpsilon(), request.getNoiseDelta(), request.getNoiseSeed());
                    reply.setReleased(StatsCodec.released(SiteAnalytics.of(rows.siteId(), train, k,
                            request.getCrossTabColumn().isEmpty() ? null : request.getCrossTabColumn(), noise,
                            noise == null ? null : noise.streamFor(rows.siteId()))));
                } catch (IllegalArgumentException e) {
                    throw new Refused(e.getMessage());
                }
            }
            case SURVIVAL -> {
                long k = Math.max(request.getMinCell(), rows.settings().minCell());
                try {
                    SurvivalQuery query = StatsCodec.survival(request.getSurvival());
                    for (SurvivalRelease r : SiteSurvival.release(rows.siteId(), rows.definition().label(), train,
                            query, k)) {
                        reply.addSurvival(StatsCodec.survival(r));
                    }
                } catch (IllegalArgumentException e) {
                    throw new Refused(e.getMessage());
                }
            }
            default -> throw new Refused("unknown statistics kind " + kind);
        }
        return reply.build();
    }

    @Override
    public synchronized void merged(MergedStats merged) {
        if (!merged.equals(preparedFrom)) {
            prepare(merged);
        }
    }

    private LocalData prepare(MergedStats merged) throws IllegalArgumentException {
        LocalData prepared = rows.prepare(StatsCodec.moments(merged.getColumnsList()),
                StatsCodec.histograms(merged.getColumnsList()), StatsCodec.moments(merged.getClippedList()));
        site.prepare(prepared);
        preparedFrom = merged;
        this.prepared = prepared;
        onPrepared.accept(prepared);
        if (out != null) {
            out.printf("site '%s' prepared its data from statistics merged over %s: %d features%n", rows.siteId(),
                    new ArrayList<>(merged.getSitesList()), prepared.featureNames().size());
            out.flush();
        }
        return prepared;
    }
}
