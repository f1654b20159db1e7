package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code fedmed server} and four {@code fedmed site} processes, each a separate JVM talking gRPC over mutual
 * TLS on 127.0.0.1, train Fed-Heart-Disease with per-site statistics and no indicator columns ({@code stats:
 * per_site, missing_indicators: false} in every site.yaml); the run reaches what {@code fedmed simulate} reaches with
 * the same config and seed. (The default settings are compared in {@link StatisticsExchangeProcessesTest}.) With
 * results aggregated in task order the two runs are the same computation, so the tolerance is zero: the final model
 * is equal bit for bit and every round's metrics are equal.
 */
@Timeout(300)
class ProcessesMatchSimulationTest {

    /** The server's training section. */
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 15
            min_fit_sites: 4
            local_epochs: 2
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    /**
     * What {@code simulate} is given: the same training keys, plus the simulation-only keys that make it prepare each
     * site's data as a deployed site does (per-site statistics, no indicator columns) and run the federated regime.
     */
    static final String SIMULATION = TRAINING + MatchedRun.PER_SITE_SIMULATION;

    @Test
    void serverAndFourSiteProcessesReachTheSimulatedModelAndMetrics(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-fedavg", 4, TRAINING);
        MatchedRun.runToEnd(fed, serverYaml, tmp.resolve("logs"), "fedavg", "{type: logistic}",
                MatchedRun.PER_SITE_DATA);
        ComparisonReport sim = simulate();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-fedavg").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            List<RoundRecord> simRounds = sim.federated().rounds();
            assertEquals(simRounds.size(), rounds.size(), "rounds run");
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(Federation.HOSPITALS, rounds.get(r).succeeded(), "round " + (r + 1) + " cohort");
                assertEquals(simRounds.get(r).evalMetrics(), rounds.get(r).evalMetrics(), "round " + (r + 1) + " eval");
                assertEquals(simRounds.get(r).siteEvalMetrics(), rounds.get(r).siteEvalMetrics(),
                        "round " + (r + 1) + " per-site eval");
            }
            Path last = store.checkpoint(run.id(), rounds.size()).orElseThrow().path();
            float[] deployed = SafetensorsReader.read(last).parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final model, bit for bit");
            Map<String, Double> finalEval = rounds.getLast().evalMetrics();
            // a model that learned nothing scores 0.5; this split and budget reach about 0.80
            assertTrue(finalEval.get("roc_auc") > 0.75, "the deployed model learned: " + finalEval);
        }
    }

    static ComparisonReport simulate() {
        return MatchedRun.simulate(SIMULATION);
    }
}
