package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Site processes that cannot hold up a round or leak a tiny cohort: a site frozen with SIGSTOP in the middle of a run
 * costs a round no more than its deadline plus the evaluation grace, and is not asked to evaluate once it missed
 * the fit deadline; a site whose data has 3 rows refuses to start.
 */
@Timeout(300)
class HungSiteProcessesTest {

    // short against the 10 s heartbeat timeout, so a frozen site is still connected for its next fit and misses it
    static final int DEADLINE_SECONDS = 3;
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 8
            min_fit_sites: 2
            local_epochs: 1
            seed: 7
            round_deadline_seconds: %d
            """.formatted(DEADLINE_SECONDS);

    @Test
    void aFrozenSiteCostsARoundAtMostItsDeadlinePlusGraceAndIsNotAskedToEvaluate(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        List<String> sites = List.of("cleveland", "hungary", "va");
        Federation fed = Federation.provision(tmp, "heart", List.of("cleveland", "hungary", "va", "tiny"));
        Path serverYaml = fed.serverConfig("server.yaml", "hung", 3, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            FedmedProcess va = null;
            for (String site : sites) {
                FedmedProcess p = FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}").toString());
                processes.add(p);
                if (site.equals("va")) {
                    va = p;
                }
            }
            FedmedProcess.await(() -> recordedRounds(fed) >= 2, Duration.ofSeconds(120), "two recorded rounds");
            va.signal("STOP");
            assertEquals(0, server.awaitExit(Duration.ofSeconds(200)), server.output());
            va.signal("CONT");

            Path tinyCsv = tmp.resolve("tiny.csv");
            List<String> rows = Files.readAllLines(Federation.dataDir().resolve("heart-disease").resolve("cleveland.csv"));
            Files.write(tinyCsv, rows.subList(0, 4));
            Path tinyYaml = tmp.resolve("tiny.yaml");
            Files.writeString(tinyYaml, """
                    kit: %s
                    data:
                      dataset: heart-disease
                      csv: %s
                    allow:
                      strategies: [fedavg]
                      model_specs:
                        - {type: logistic}
                    """.formatted(tmp.relativize(fed.layout.siteKit("tiny")), tinyCsv));
            FedmedProcess tiny = FedmedProcess.start("tiny", logs, "site", "--config", tinyYaml.toString());
            processes.add(tiny);
            assertEquals(2, tiny.awaitExit(Duration.ofSeconds(60)), tiny.output());
            assertTrue(tiny.output().contains("data.min_rows 10"), tiny.output());
            assertFalse(tiny.output().contains("dialing"), tiny.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("hung").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            // a margin for a loaded machine, still well short of the 10 s heartbeat timeout a wait for va would reach
            long bound = DEADLINE_SECONDS * 1000L + DEADLINE_SECONDS * 100L + 4000;
            for (RoundRecord r : rounds) {
                assertTrue(r.durationMillis() <= bound, "round " + r.round() + " took " + r.durationMillis()
                        + " ms, above deadline + grace + margin " + bound + " ms");
            }
            List<RoundRecord> vaTimedOut = rounds.stream().filter(r -> r.failures().stream().anyMatch(f ->
                    f.siteId().equals("va") && f.kind() == SiteFailure.Kind.TIMEOUT
                            && r.selected().contains("va") && !r.succeeded().contains("va"))).toList();
            assertFalse(vaTimedOut.isEmpty(), "va missed a fit deadline: " + rounds);
            for (RoundRecord r : vaTimedOut) {
                assertFalse(r.siteEvalMetrics().containsKey("va"), r.toString());
                assertEquals(1, r.failures().stream().filter(f -> f.siteId().equals("va")).count(),
                        "va was not sent that round's evaluation: " + r.failures());
                assertTrue(r.completed(), "the round completed with the others: " + r);
            }
        }
    }

    private static int recordedRounds(Federation fed) {
        if (!Files.exists(fed.store())) {
            return 0;
        }
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun("hung").map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        }
    }
}
