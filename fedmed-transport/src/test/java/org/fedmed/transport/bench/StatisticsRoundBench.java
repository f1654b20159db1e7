package org.fedmed.transport.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.proto.ColumnStats;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.StatisticsResponder;
import org.fedmed.transport.support.TestFederation;

/**
 * The wire's side of a statistics round against a fit round over the same loopback sites: {@code sites} sites in
 * this JVM, each with its own certificate and mutual-TLS connection to one server. Sites answer at once (their
 * compute is measured by {@code StatisticsRoundBenchmark} in fedmed-bench), so this is the exchange's own cost:
 * <ul>
 *   <li>{@code moments}: one MOMENTS request to every site and all replies back (13 columns);</li>
 *   <li>{@code histograms}: one HISTOGRAMS request (13 columns of 1024 bins) and all replies back;</li>
 *   <li>{@code prepare}: one PREPARE request carrying the merged statistics and all replies back;</li>
 *   <li>{@code fit}: one round of the round engine (fit and evaluate) of a 33-parameter model, the size of
 *       heart-disease's logistic regression with indicator columns.</li>
 * </ul>
 * Each is repeated {@code reps} times, after one warm-up; printed as best and median milliseconds. Run like
 * {@code TransferBench}: {@code StatisticsRoundBench [sites=100] [reps=15]}.
 */
public final class StatisticsRoundBench {

    static final int COLUMNS = 13;
    static final int BINS = 1024;

    private StatisticsRoundBench() {
    }

    static final class InstantStats implements StatisticsResponder {
        private final StatsReply moments;
        private final StatsReply histograms;

        InstantStats(int k) {
            StatsReply.Builder m = StatsReply.newBuilder().setRows(300);
            StatsReply.Builder h = StatsReply.newBuilder().setRows(300);
            for (int c = 0; c < COLUMNS; c++) {
                ColumnStats base = ColumnStats.newBuilder().setCount(285).setMissing(15).setSum(100.0 * k + c)
                        .setSumSquaredDeviations(12.5 * k).setMin(-k).setMax(k + c).build();
                m.addColumns(base);
                ColumnStats.Builder hb = base.toBuilder().setHistogramLow(-1).setHistogramHigh(1);
                for (int b = 0; b < BINS; b++) {
                    hb.addHistogram((b * 31L + k) % 3);
                }
                h.addColumns(hb);
            }
            moments = m.build();
            histograms = h.build();
        }

        @Override
        public StatsReply answer(StatsRequest request) {
            return switch (request.getKinds(0)) {
                case HISTOGRAMS -> histograms;
                case PREPARE -> StatsReply.newBuilder().addFeatureNames("x").build();
                default -> moments;
            };
        }

        @Override
        public void merged(MergedStats merged) {
        }
    }

    public static void main(String[] args) throws Exception {
        int sites = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < sites; k++) {
                LoadHarness.IndexSite site = new LoadHarness.IndexSite(k);
                ids.add(site.siteId());
                f.join(site, TestFederation.ACCEPT_ALL, e -> { }).answeringStatistics(new InstantStats(k));
            }
            if (!f.pool().awaitSites(sites, Duration.ofSeconds(120))) {
                throw new IllegalStateException("only " + f.pool().availableSites().size() + " sites connected");
            }
            MergedStats merged = MergedStats.newBuilder().setRequestId("m").addAllSites(ids)
                    .addAllColumns(new InstantStats(0).histograms.getColumnsList()).build();
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(sites),
                    new FitConfig(1, 1, 0.1, false, 0), 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 1).withRoundDeadline(Duration.ofSeconds(120));
            ModelParameters initial = ModelParameters.ofFlat(ParameterLayout.of(List.of("w"), List.of(new int[] {33})),
                    new float[33]);
            String[] variants = {"moments", "histograms", "prepare", "fit"};
            long[][] nanos = new long[variants.length][reps];
            for (int rep = -1; rep < reps; rep++) {
                for (int v = 0; v < variants.length; v++) {
                    long t0 = System.nanoTime();
                    switch (variants[v]) {
                        case "fit" -> new RoundEngine(fedavg, f.pool(), cfg, new RunListener() { }).run(initial);
                        case "moments" -> exchange(f, ids, StatsRequest.newBuilder().setRequestId("m" + rep)
                                .addKinds(StatisticKind.MOMENTS).build());
                        case "histograms" -> exchange(f, ids, StatsRequest.newBuilder().setRequestId("h" + rep)
                                .addKinds(StatisticKind.HISTOGRAMS).setBins(BINS).build());
                        default -> exchange(f, ids, StatsRequest.newBuilder().setRequestId("p" + rep)
                                .addKinds(StatisticKind.PREPARE).setMerged(merged).build());
                    }
                    if (rep >= 0) {
                        nanos[v][rep] = System.nanoTime() - t0;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%d loopback sites, %d repetitions%n| round | best ms | median ms | fit"
                    + " round / this round (median) |%n|---|---:|---:|---:|%n", sites, reps);
            double fit = median(nanos[3]);
            for (int v = 0; v < variants.length; v++) {
                long[] n = nanos[v];
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", variants[v],
                        Arrays.stream(n).min().orElseThrow() / 1e6, median(n) / 1e6, fit / median(n));
            }
        }
        System.exit(0);
    }

    private static void exchange(TestFederation f, List<String> ids, StatsRequest request) throws Exception {
        for (CompletableFuture<StatsReply> r : f.pool().requestStatistics(ids, request).values()) {
            r.get(60, TimeUnit.SECONDS);
        }
    }

    private static double median(long[] n) {
        long[] s = n.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
