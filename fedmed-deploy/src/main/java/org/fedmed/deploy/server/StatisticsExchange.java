package org.fedmed.deploy.server;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.stats.SiteOrder;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.transport.proto.ColumnRange;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.server.GrpcSitePool;

/**
 * The statistics exchange a deployment runs once before round 1, so that its sites preprocess with the very
 * statistics {@code simulate} computes. Why an exchange before the rounds rather than a third kind of {@code Task}:
 * a task is a round's work on a global model and is aggregated by the strategy; statistics have no model and no
 * round, are merged by a fixed rule and not by the strategy, and are needed before the model can even be sized (its
 * inputs depend on the indicator columns the merged missing counts decide). So the round engine, the strategies and
 * their switches stay as they are, and the exchange is its own closed set of requests ({@link StatisticKind}).
 *
 * <p>Steps, each with the same deadline per step: (1) every connected site is asked for the {@code MOMENTS} of its
 * training rows; sites that refuse or do not answer are left out (named in the output and the audit log), and at
 * least one must answer; all that answer must preprocess alike (the same canonical preprocessing line), or the
 * exchange fails naming the two sites that differ. (2) The moments are merged in {@link SiteOrder canonical site
 * order}, the order the simulation merges in. (3) When their preprocessing needs histograms (a federated median),
 * the same sites are asked for {@code HISTOGRAMS} over the merged ranges, merged in the same order; when it clips at
 * federated quantiles, they are then sent the merged histograms and asked for {@code CLIPPED_MOMENTS} (each reads the
 * same bounds from them), merged in the same order. (4) The merged
 * statistics go to those sites in a {@code PREPARE} request; each builds its preprocessing and answers with its model
 * inputs, which must be the same at every site. The merged statistics are also shared with every other site, now and
 * as sites are admitted later. A site that fails a step after the first fails the exchange, as the merge would be
 * incomplete.
 */
final class StatisticsExchange {

    /**
     * What the exchange settled.
     *
     * @param sites         the sites merged, in merge order
     * @param featureNames  the model inputs every merged site builds
     * @param preprocessing the sites' canonical preprocessing line
     */
    record Result(List<String> sites, List<ColumnMoments> moments, List<Histogram> histograms,
                  List<String> featureNames, String preprocessing) {
    }

    private final GrpcSitePool pool;
    private final DatasetSchema schema;
    private final Duration deadline;
    private final PrintWriter out;

    StatisticsExchange(GrpcSitePool pool, DatasetSchema schema, Duration deadline, PrintWriter out) {
        this.pool = pool;
        this.schema = schema;
        this.deadline = deadline;
        this.out = out;
    }

    /** Runs the exchange with the sites connected now. */
    Result run() throws InterruptedException {
        List<String> asked = SiteOrder.sorted(pool.availableSites());
        Map<String, StatsReply> moments = answers(asked, StatsRequest.newBuilder().setRequestId("stats-moments")
                .addKinds(StatisticKind.MOMENTS).build(), false);
        if (moments.isEmpty()) {
            throw new IllegalStateException("no site answered the statistics request (asked " + asked + "); a"
                    + " deployment needs the merged statistics of at least one site before round 1");
        }
        List<String> sites = List.copyOf(moments.keySet());
        String first = sites.getFirst();
        StatsReply reference = moments.get(first);
        for (String id : sites) {
            StatsReply r = moments.get(id);
            if (!r.getPreprocessing().getCanonical().equals(reference.getPreprocessing().getCanonical())) {
                throw new IllegalStateException("sites '" + first + "' and '" + id + "' preprocess differently ("
                        + reference.getPreprocessing().getCanonical() + " vs " + r.getPreprocessing().getCanonical()
                        + "); their model inputs would differ. Make the data sections of their site.yaml agree");
            }
            if (r.getColumnsCount() != schema.features().size()) {
                throw new IllegalStateException("site '" + id + "' sent statistics of " + r.getColumnsCount()
                        + " columns; the dataset has " + schema.features().size() + " features");
            }
        }
        List<List<ColumnMoments>> perSite = new ArrayList<>();
        for (String id : sites) {
            perSite.add(decode(id, () -> StatsCodec.moments(moments.get(id).getColumnsList())));
        }
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(perSite);
        List<Histogram> histograms = List.of();
        int bins = reference.getPreprocessing().getHistogramBins();
        if (bins > 0) {
            StatsRequest.Builder req = StatsRequest.newBuilder().setRequestId("stats-histograms")
                    .addKinds(StatisticKind.HISTOGRAMS).setBins(bins);
            for (ColumnMoments g : global) {
                req.addRanges(ColumnRange.newBuilder().setLow(g.count() == 0 ? 0 : g.min())
                        .setHigh(g.count() == 0 ? 0 : g.max()));
            }
            Map<String, StatsReply> hists = answers(sites, req.build(), true);
            List<List<Histogram>> h = new ArrayList<>();
            for (String id : sites) {
                h.add(decode(id, () -> StatsCodec.histograms(hists.get(id).getColumnsList())));
            }
            histograms = FederatedStatistics.mergeHistograms(h);
        }
        List<ColumnMoments> clipped = List.of();
        if (reference.getPreprocessing().getClippedMoments()) {
            Map<String, StatsReply> clips = answers(sites, StatsRequest.newBuilder().setRequestId("stats-clipped")
                    .addKinds(StatisticKind.CLIPPED_MOMENTS)
                    .setMerged(StatsCodec.merged("stats-histograms-merged", sites, global, histograms)).build(), true);
            List<List<ColumnMoments>> c = new ArrayList<>();
            for (String id : sites) {
                c.add(decode(id, () -> StatsCodec.moments(clips.get(id).getColumnsList())));
            }
            clipped = FederatedStatistics.mergeMoments(c);
        }
        MergedStats merged = StatsCodec.merged("stats-merged", sites, global, histograms, clipped);
        Map<String, StatsReply> prepared = answers(sites, StatsRequest.newBuilder().setRequestId("stats-prepare")
                .addKinds(StatisticKind.PREPARE).setMerged(merged).build(), true);
        List<String> features = prepared.get(first).getFeatureNamesList();
        for (String id : sites) {
            if (!prepared.get(id).getFeatureNamesList().equals(features)) {
                throw new IllegalStateException("sites '" + first + "' and '" + id + "' built different model inputs"
                        + " from the same merged statistics: " + features + " vs " + prepared.get(id).getFeatureNamesList());
            }
        }
        pool.shareMergedStatistics(merged);
        out.printf("statistics exchange: merged the training-row statistics of %s (in this order); %d model inputs%n",
                sites, features.size());
        out.flush();
        return new Result(sites, global, histograms, features, reference.getPreprocessing().getCanonical());
    }

    private Map<String, StatsReply> answers(List<String> sites, StatsRequest request, boolean all)
            throws InterruptedException {
        return answers(pool, sites, request, all, deadline, out, "statistics exchange");
    }

    /**
     * The replies to {@code request} in the order of {@code sites}, each awaited until {@code deadline} after the
     * request; a site that refuses or does not answer is left out (printed as {@code what: leaving site ... out}),
     * or fails the exchange when {@code all}.
     */
    static Map<String, StatsReply> answers(GrpcSitePool pool, List<String> sites, StatsRequest request, boolean all,
                                           Duration deadline, PrintWriter out, String what)
            throws InterruptedException {
        Map<String, CompletableFuture<StatsReply>> pending = pool.requestStatistics(sites, request);
        long end = System.nanoTime() + deadline.toNanos();
        Map<String, StatsReply> got = new LinkedHashMap<>();
        for (String id : sites) {
            String why;
            try {
                got.put(id, pending.get(id).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
                continue;
            } catch (ExecutionException e) {
                why = e.getCause().getMessage();
            } catch (TimeoutException e) {
                why = "site '" + id + "' did not answer statistics request '" + request.getRequestId() + "' within "
                        + deadline.toSeconds() + " s";
            }
            if (all) {
                throw new IllegalStateException("the " + what + " failed: " + why);
            }
            out.printf("%s: leaving site '%s' out: %s%n", what, id, why);
            out.flush();
        }
        return got;
    }

    private static <T> T decode(String site, java.util.function.Supplier<T> decoding) {
        try {
            return decoding.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("site '" + site + "' sent malformed statistics: " + e.getMessage(), e);
        }
    }
}
