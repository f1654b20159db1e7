package org.fedmed.deploy.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Histogram;
import org.fedmed.data.stats.GaussianCountNoise;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.stats.Analytics;
import org.fedmed.data.stats.AnalyticsOptions;
import org.fedmed.data.stats.AnalyticsReport;
import org.fedmed.data.stats.SiteAnalytics;
import org.fedmed.data.stats.SiteOrder;
import org.fedmed.deploy.stats.DefinitionAdmission;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.ServerKit;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.proto.ColumnRange;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.GrpcSitePool;
import org.fedmed.transport.server.PkiPeerAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The analytics mode of the server ({@code fedmed server --config server.yaml --analytics FILE}): instead of
 * training, it admits sites as a training run does (certificates, definition fingerprint), waits for
 * {@code wait_for_sites} of them, runs one analytics exchange over their training rows, prints the table, writes
 * the JSON and records it in the run store's analytics table (the dashboard's {@code /analytics} page), and tells
 * the sites that the run is over. No training run is created; every step is in the run store's
 * audit log (as entries of no run) and in each site's audit log.
 *
 * <p>The exchange: {@code MOMENTS} and then {@code HISTOGRAMS} over the merged ranges, exactly as before round 1 of
 * a training run (exact, to the server only, never released: they give the pooled means, deviations and
 * quartiles), then {@code RELEASE}, in which each site sends what it releases with every count below the larger of
 * the server's k and its own suppressed by the site itself. The server checks that no released count lies below the
 * k the site applied, pools in {@link SiteOrder canonical order} by the rule of
 * {@link org.fedmed.data.stats.SmallCells}, and releases pooled means, deviations and quartiles only when the pooled
 * present count is released. Sites that refuse the first request are left out; one that fails a later one fails the
 * exchange. Noise is not offered over the wire yet.
 */
public final class AnalyticsServer {

    /** Bins of the histograms behind the pooled quartiles. */
    static final int BINS = 1024;

    private final ServerConfig config;
    private final DatasetRegistry registry;
    private final PrintWriter out;
    private final KeyFilePolicy keys;

    public AnalyticsServer(ServerConfig config, DatasetRegistry registry, PrintWriter out, KeyFilePolicy keys) {
        this.config = config;
        this.registry = registry;
        this.out = out;
        this.keys = keys;
    }

    /**
     * Runs the analytics exchange and writes the JSON to {@code json}.
     *
     * @param k         the server's k (each site applies the larger of it and its own)
     * @param crossTab  a categorical feature to cross-tabulate by the label, or null for none
     * @param noise     Gaussian noise each site adds to the counts it releases, or null for none; with noise the
     *                  server asks for no moments or histograms, so it never sees an exact count or sum
     */
    public AnalyticsReport run(Path json, long k, String crossTab, GaussianCountNoise noise)
            throws IOException, InterruptedException {
        ServerKit kit = ServerKit.load(config.kit(), keys);
        SiteCountCheck.requireWithinKit(config, kit);
        String dataset = config.training().dataset();
        DatasetSchema schema = registry.definition(dataset, config.file().toAbsolutePath().getParent()).schema();
        ServerSettings settings = ServerSettings.defaults()
                .withHeartbeat(config.heartbeatInterval(), config.heartbeatTimeout())
                .withDefinitionCheck(DefinitionAdmission.of(dataset, schema));
        int port = config.listenPort() != null ? config.listenPort() : kit.address().port();
        var credentials = MutualTls.serverCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey());
        try (RunStore store = RunStore.open(config.store());
             StoreAuditEvents events = new StoreAuditEvents(store);
             FederationServer server = FederationServer.start(new InetSocketAddress(config.listenHost(), port),
                     credentials, new PkiPeerAuthorizer(kit), settings, events)) {
            out.printf("fedmed server (analytics): federation '%s', dataset '%s', k %d; listening on %s:%d; waiting"
                    + " for %d of the %d sites%n", kit.federation(), dataset, k, config.listenHost(), server.port(),
                    config.waitForSites(), kit.sites().size());
            out.flush();
            if (!server.pool().awaitSites(config.waitForSites(), config.waitTimeout())) {
                throw new IllegalStateException("only " + server.pool().availableSites().size() + " site(s) "
                        + server.pool().availableSites() + " connected within " + config.waitTimeout().toSeconds()
                        + " s; wait_for_sites is " + config.waitForSites());
            }
            AnalyticsReport report = noise == null ? exchange(server.pool(), schema, dataset, k, crossTab)
                    : noised(server.pool(), dataset, k, crossTab, noise);
            out.print(report.table());
            String result = report.toJson();
            Files.writeString(json, result);
            store.recordAnalytics(dataset, result);
            out.printf("wrote %s (and recorded it in %s)%n", json, config.store());
            out.flush();
            server.endRun("analytics of '" + dataset + "' written");
            return report;
        }
    }

    private AnalyticsReport exchange(GrpcSitePool pool, DatasetSchema schema, String dataset, long k, String crossTab)
            throws InterruptedException {
        List<String> asked = SiteOrder.sorted(pool.availableSites());
        Map<String, StatsReply> moments = answers(pool, asked, StatsRequest.newBuilder().setRequestId("analytics-moments")
                .addKinds(StatisticKind.MOMENTS).build(), false);
        if (moments.isEmpty()) {
            throw new IllegalStateException("no site answered the analytics request (asked " + asked + ")");
        }
        List<String> sites = List.copyOf(moments.keySet());
        List<List<ColumnMoments>> perSite = new ArrayList<>();
        for (String id : sites) {
            List<ColumnMoments> m = StatsCodec.moments(moments.get(id).getColumnsList());
            if (m.size() != schema.features().size()) {
                throw new IllegalStateException("site '" + id + "' sent statistics of " + m.size() + " columns; the"
                        + " dataset has " + schema.features().size() + " features");
            }
            perSite.add(m);
        }
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(perSite);
        StatsRequest.Builder hist = StatsRequest.newBuilder().setRequestId("analytics-histograms")
                .addKinds(StatisticKind.HISTOGRAMS).setBins(BINS);
        for (ColumnMoments g : global) {
            hist.addRanges(ColumnRange.newBuilder().setLow(g.count() == 0 ? 0 : g.min()).setHigh(g.count() == 0 ? 0 : g.max()));
        }
        Map<String, StatsReply> hists = answers(pool, sites, hist.build(), true);
        List<Histogram> histograms = FederatedStatistics.mergeHistograms(
                sites.stream().map(id -> StatsCodec.histograms(hists.get(id).getColumnsList())).toList());
        Map<String, StatsReply> released = answers(pool, sites, StatsRequest.newBuilder()
                .setRequestId("analytics-release").addKinds(StatisticKind.RELEASE).setMinCell(k)
                .setCrossTabColumn(crossTab == null ? "" : crossTab).build(), true);
        return Analytics.report(dataset, new AnalyticsOptions(k, siteK(sites, released, k), crossTab, BINS, null),
                figures(sites, released, k), global, histograms);
    }

    /** The release alone, each site noising its counts: no moments or histograms leave a site. */
    private AnalyticsReport noised(GrpcSitePool pool, String dataset, long k, String crossTab, GaussianCountNoise noise)
            throws InterruptedException {
        List<String> asked = SiteOrder.sorted(pool.availableSites());
        Map<String, StatsReply> released = answers(pool, asked, StatsRequest.newBuilder()
                .setRequestId("analytics-release").addKinds(StatisticKind.RELEASE).setMinCell(k)
                .setCrossTabColumn(crossTab == null ? "" : crossTab).setNoiseEpsilon(noise.epsilon())
                .setNoiseDelta(noise.delta()).setNoiseSeed(noise.seed()).build(), false);
        if (released.isEmpty()) {
            throw new IllegalStateException("no site answered the analytics request (asked " + asked + ")");
        }
        List<String> sites = List.copyOf(released.keySet());
        return Analytics.report(dataset, new AnalyticsOptions(k, siteK(sites, released, k), crossTab, BINS, noise),
                figures(sites, released, k), List.of(), List.of());
    }

    private static List<SiteAnalytics> figures(List<String> sites, Map<String, StatsReply> released, long k) {
        List<SiteAnalytics> figures = new ArrayList<>();
        for (String id : sites) {
            SiteAnalytics a = StatsCodec.released(id, released.get(id).getReleased());
            if (a.k() < k) {
                throw new IllegalStateException("site '" + id + "' applied k " + a.k() + ", below the server's " + k);
            }
            figures.add(a);
        }
        return figures;
    }

    private static Map<String, Long> siteK(List<String> sites, Map<String, StatsReply> released, long k) {
        Map<String, Long> siteK = new LinkedHashMap<>();
        for (String id : sites) {
            long applied = released.get(id).getReleased().getK();
            if (applied > k) {
                siteK.put(id, applied);
            }
        }
        return siteK;
    }

    private Map<String, StatsReply> answers(GrpcSitePool pool, List<String> sites, StatsRequest request, boolean all)
            throws InterruptedException {
        return StatisticsExchange.answers(pool, sites, request, all,
                Duration.ofSeconds(config.training().roundDeadlineSeconds()), out, "analytics exchange");
    }
}
