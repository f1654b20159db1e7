package org.fedmed.transport.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.TestFederation;

/**
 * Many sites, each with its own certificate and its own mutual-TLS connection, connected to one server in this
 * JVM, running a few FedAvg rounds of a tiny model. Each site sends a value that identifies it, so the aggregate
 * shows whether any update was lost or counted twice. {@code main} runs it as a benchmark:
 * {@code LoadHarness [sites=1000] [rounds=3]}.
 */
public final class LoadHarness {

    /** A site whose update is its index plus half the round, weighted by 1 + index mod 7 examples. */
    static final class IndexSite implements SiteClient {
        final String id;
        final int index;

        IndexSite(int index) {
            this.index = index;
            this.id = String.format("site-%04d", index);
        }

        @Override
        public String siteId() {
            return id;
        }

        long examples() {
            return 1 + index % 7;
        }

        @Override
        public FitResult fit(FitTask t) {
            float[] w = new float[t.global().size()];
            java.util.Arrays.fill(w, index + 0.5f * t.round());
            return new FitResult(id, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples(), 1.0,
                    Map.of("loss", 1.0));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(id, t.taskId(), examples(), Map.of("log_loss", 1.0));
        }
    }

    /** What a load run saw. */
    public record Report(int sites, long connectMillis, List<Long> roundMillis, List<Integer> delivered,
                         List<Double> maxErrorPerRound, int connectedAtEnd, int reconnects, long heapUsedBytes,
                         long resultBytesHeldAtEnd) {
    }

    /** The FedAvg aggregate of round {@code round}: sum of n_k (k + round/2) over sum of n_k. */
    static double expected(int sites, int round) {
        double num = 0;
        double den = 0;
        for (int k = 0; k < sites; k++) {
            double n = 1 + k % 7;
            num += n * (k + 0.5 * round);
            den += n;
        }
        return num / den;
    }

    public static Report run(int sites, int rounds, int params) throws Exception {
        return run(sites, rounds, params, ServerSettings.defaults());
    }

    public static Report run(int sites, int rounds, int params, ServerSettings settings) throws Exception {
        try (TestFederation f = new TestFederation(settings)) {
            long t0 = System.nanoTime();
            List<SiteConnection> connections = new ArrayList<>();
            for (int k = 0; k < sites; k++) {
                connections.add(f.join(new IndexSite(k), TestFederation.ACCEPT_ALL, e -> { }));
            }
            if (!f.pool().awaitSites(sites, Duration.ofSeconds(120))) {
                throw new IllegalStateException("only " + f.pool().availableSites().size() + " of " + sites + " sites connected");
            }
            long connectMillis = (System.nanoTime() - t0) / 1_000_000;
            List<Double> errors = new ArrayList<>();
            RunListener check = new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, ModelParameters global) {
                    double want = expected(sites, record.round());
                    double worst = 0;
                    for (float v : global.flat()) {
                        worst = Math.max(worst, Math.abs(v - want) / want);
                    }
                    errors.add(worst);
                }
            };
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(sites),
                    new FitConfig(1, 1, 0.1, false, 0), 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(rounds), 1).withRoundDeadline(Duration.ofSeconds(120));
            ModelParameters initial = ModelParameters.ofFlat(
                    ParameterLayout.of(List.of("w"), List.of(new int[]{params})), new float[params]);
            RunResult run = new RoundEngine(fedavg, f.pool(), cfg, check).run(initial);
            int reconnects = 0;
            for (SiteConnection c : connections) {
                reconnects += c.timesJoined() - 1;
            }
            Runtime rt = Runtime.getRuntime();
            return new Report(sites, connectMillis, run.rounds().stream().map(RoundRecord::durationMillis).toList(),
                    run.rounds().stream().map(r -> (int) r.succeeded().stream().distinct().count()).toList(), errors,
                    f.pool().availableSites().size(), reconnects, rt.totalMemory() - rt.freeMemory(),
                    f.pool().resultBytesHeld());
        }
    }

    public static void main(String[] args) throws Exception {
        int sites = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Report r = run(sites, rounds, 16);
        System.out.println(r);
        System.exit(0);
    }
}
