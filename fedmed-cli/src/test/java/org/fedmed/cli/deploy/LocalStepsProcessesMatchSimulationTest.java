package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
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
 * With {@code local_steps}, each site process keeps its place in its shuffled training order from one round to the
 * next, as each in-process site of {@code fedmed simulate} does: five separate JVMs (a server and four sites) over
 * gRPC with mutual TLS reach the simulated model bit for bit. Five steps of 32 rows per round run past the end of a
 * pass on every site within the three rounds (the largest site has 8 batches per pass), so a site that restarted
 * its order each round, or carried it differently, would not match.
 */
@Timeout(300)
class LocalStepsProcessesMatchSimulationTest {

    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 4
            local_steps: 5
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    static final String SIMULATION = TRAINING + MatchedRun.PER_SITE_SIMULATION;

    @Test
    void siteProcessesCarryTheirDataOrderAcrossRoundsAsSimulatedSitesDo(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-steps", 4, TRAINING);
        MatchedRun.runToEnd(fed, serverYaml, tmp.resolve("logs"), "fedavg", "{type: logistic}",
                MatchedRun.PER_SITE_DATA);
        ComparisonReport sim = MatchedRun.simulate(SIMULATION);
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-steps").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            MatchedRun.assertSameRounds(sim, rounds, 3);
            float[] deployed = SafetensorsReader.read(store.checkpoint(run.id(), 3).orElseThrow().path()).parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final model, bit for bit");
        }
    }
}
