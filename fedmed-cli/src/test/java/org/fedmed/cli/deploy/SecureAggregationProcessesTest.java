package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server and five site processes, each a separate JVM on gRPC over mutual TLS, train under SecAgg with
 * {@code secure_aggregation:} in server.yaml; four sites require it ({@code require_secure_aggregation: true}), and
 * the fifth is killed (its JVM halts) between key sharing and its masked input in round 1. The server recovers the sum
 * of the other four from their shares, the run goes on, and it reaches what {@code simulate} reaches on the same plan
 * with the same site dropping at the same stage, bit for bit: the masks cancel exactly, so the unmasked sum is the
 * same fixed-point sum in both.
 */
@Timeout(300)
class SecureAggregationProcessesTest {

    private static final List<String> CLINICS = List.of("clinic-a", "clinic-b", "clinic-c", "clinic-d", "clinic-e");
    private static final String KILLED = "clinic-c";

    private static final String DEFINITION = """
            name: secure-cohort
            columns:
              - {name: sbp, type: numeric}
              - {name: hba1c, type: numeric}
              - {name: smoker, type: binary, levels: [no, yes]}
            label: {column: stroke, kind: binary, positive: ["1"], negative: ["0"]}
            sites:
              - {id: clinic-a, file: data/a.csv}
              - {id: clinic-b, file: data/b.csv}
              - {id: clinic-c, file: data/c.csv}
              - {id: clinic-d, file: data/d.csv}
              - {id: clinic-e, file: data/e.csv}
            """;

    private static final String TRAINING = """
            dataset: cohort/secure.yaml
            model: {type: logistic}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 3
            local_epochs: 1
            batch_size: 16
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            secure_aggregation: {clip_bound: 4, stage_deadline_seconds: 20}
            """;

    private static void writeSite(Path dir, String name, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("sbp,hba1c,smoker,stroke\n");
        for (int i = 0; i < n; i++) {
            double sbp = 130 + 15 * rng.nextGaussian();
            double hba1c = 6 + rng.nextGaussian();
            int stroke = (sbp - 130) / 15 + (hba1c - 6) + 0.5 * rng.nextGaussian() > 0 ? 1 : 0;
            sb.append(String.format("%.1f", sbp)).append(',').append(String.format("%.2f", hba1c)).append(',')
                    .append(rng.nextBoolean() ? "yes" : "no").append(',').append(stroke).append('\n');
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), sb.toString());
    }

    /**
     * The simulation's pool with the deployment's dropout: site {@code killed} fails its masked-input stage in round 1
     * and is gone from then on, as the killed process is.
     */
    static final class KilledBeforeMaskedInput implements SitePool {
        private final SitePool inner;
        private final String killed;
        private volatile boolean dead;

        KilledBeforeMaskedInput(SitePool inner, String killed) {
            this.inner = inner;
            this.killed = killed;
        }

        @Override
        public List<String> availableSites() {
            return inner.availableSites().stream().filter(s -> !dead || !s.equals(killed)).toList();
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, sink);
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, enough, sink);
        }

        @Override
        public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
            inner.evaluate(tasks, deadline, sink);
        }

        @Override
        public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
            List<ExchangeMessage> sent = new ArrayList<>();
            for (ExchangeMessage m : messages) {
                if (m.siteId().equals(killed) && (dead || m.stage() == ExchangeStage.MASKED_INPUT)) {
                    dead = true;
                    sink.failure(new SiteFailure(0, killed, SiteFailure.Kind.ERROR, "the site was killed"));
                } else {
                    sent.add(m);
                }
            }
            inner.exchange(sent, deadline, sink);
        }
    }

    @Test
    void aSiteKilledBetweenKeySharingAndMaskedInputIsRecoveredAndTheRunMatchesSimulate(@TempDir Path tmp)
            throws Exception {
        Path cohort = tmp.resolve("cohort");
        for (int i = 0; i < CLINICS.size(); i++) {
            writeSite(cohort.resolve("data"), (char) ('a' + i) + ".csv", 60 + 10 * i, i + 1);
        }
        Path definition = Files.writeString(cohort.resolve("secure.yaml"), DEFINITION);
        Federation fed = Federation.provision(tmp, "secure", CLINICS);
        Path serverYaml = fed.serverConfig("server.yaml", "secure-fedavg", 5, TRAINING);
        MatchedRun.runToEnd(serverYaml, tmp.resolve("logs"), CLINICS, (site, logs) -> {
            Path cfg = fed.definitionSiteConfig(site, "cohort/secure.yaml", "fedavg+secagg+", "{type: logistic}",
                    site.equals(KILLED) ? "" : "require_secure_aggregation: true");
            return site.equals(KILLED)
                    ? FedmedProcess.startMain(site, logs, SiteKilledBeforeMaskedInput.class.getName(), cfg.toString())
                    : FedmedProcess.start(site, logs, "site", "--config", cfg.toString());
        }, Duration.ofSeconds(240), sites -> {
            FedmedProcess killed = sites.get(KILLED);
            assertEquals(137, killed.awaitExit(Duration.ofSeconds(10)), killed.output());
            assertTrue(killed.output().contains(SiteKilledBeforeMaskedInput.HALTING), killed.output());
            // started as bin/fedmed starts them, the sites run their key agreements on the system's libsodium
            assertTrue(sites.get("clinic-a").output().contains("; X25519 on libsodium"),
                    "libsodium is needed (Debian: apt-get install libsodium23): " + sites.get("clinic-a").output());
        });

        ComparisonReport sim = MatchedRun.simulateDefinition(TRAINING, "cohort/secure.yaml", definition,
                pool -> new KilledBeforeMaskedInput(pool, KILLED));
        List<String> survivors = CLINICS.stream().filter(s -> !s.equals(KILLED)).toList();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("secure-fedavg").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(3, rounds.size());
            RoundRecord first = rounds.getFirst();
            assertTrue(first.completed(), "round 1 completes without the killed site: " + first.failures());
            assertTrue(first.selected().contains(KILLED), "the killed site trained in round 1: " + first.selected());
            assertTrue(first.failures().stream().anyMatch(f -> f.siteId().equals(KILLED)
                    && f.reason().contains("MASKED_INPUT")), "its dropout is recorded: " + first.failures());
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(survivors, rounds.get(r).succeeded().stream().sorted().toList(), "round " + (r + 1) + ": "
                        + rounds.get(r).failures());
                assertEquals(sim.federated().rounds().get(r).succeeded().stream().sorted().toList(),
                        rounds.get(r).succeeded().stream().sorted().toList(), "round " + (r + 1) + " cohort as simulated");
                assertEquals(sim.federated().rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                        "round " + (r + 1) + " eval");
            }
            float[] deployed = SafetensorsReader.read(store.checkpoint(run.id(), 3).orElseThrow().path())
                    .parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final model, bit for bit");
            assertEquals("fedavg+secagg+", sim.federated().strategy());
        }
    }
}
