package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SCAFFOLD in deployment: five separate JVMs (a server and four sites) over gRPC with mutual TLS reach {@code fedmed
 * simulate}'s model bit for bit. The server's control variate c travels to each site process with its task, each site
 * process keeps its own c_i from round to round and sends back its Delta c, so from round 2 on every local step
 * carries the correction c - c_i; a site that lost c_i between rounds, or a c that did not travel exactly, would not
 * match. The run's strategy state holds c.
 */
@Timeout(300)
class ScaffoldProcessesMatchSimulationTest {

    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: scaffold
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
    void siteProcessesKeepTheirControlVariatesAndReachTheSimulatedScaffoldModelBitForBit(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-scaffold", 4, TRAINING);
        MatchedRun.runToEnd(fed, serverYaml, tmp.resolve("logs"), "scaffold", "{type: logistic}",
                MatchedRun.PER_SITE_DATA);
        ComparisonReport sim = MatchedRun.simulate(SIMULATION);
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-scaffold").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            MatchedRun.assertSameRounds(sim, rounds, 3);
            Path checkpoint = store.checkpoint(run.id(), 3).orElseThrow().path();
            var read = SafetensorsReader.read(checkpoint);
            assertArrayEquals(sim.federated().finalModel().flat(), read.parameters().flat(), "final model, bit for bit");
            float[] c = CheckpointDirectory.stateOf(checkpoint, read.metadata()).vectors().get(Scaffold.STATE_C);
            assertEquals(read.parameters().size(), c.length, "the run's strategy state holds c");
            assertFalse(Arrays.equals(new float[c.length], c), "c moved");
        }
    }
}
