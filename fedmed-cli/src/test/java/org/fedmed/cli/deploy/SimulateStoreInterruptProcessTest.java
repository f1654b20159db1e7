package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code fedmed simulate --store} process stopped by SIGTERM mid-run leaves its stored run {@code failed}, with the
 * interruption as the reason and every round it finished recorded, instead of a run that looks still running.
 */
class SimulateStoreInterruptProcessTest {

    private static int recordedRounds(Path db) {
        if (!Files.isRegularFile(db)) {
            return 0;
        }
        try (RunStore s = RunStore.openReadOnly(db)) {
            return s.runs().isEmpty() ? 0 : s.lastRecordedRound(s.runs().getLast().id()).orElse(0);
        } catch (RuntimeException notYet) {
            return 0; // created but not yet migrated
        }
    }

    @Test
    void sigtermMarksTheStoredRunFailedAsInterruptedKeepingItsRounds(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Path db = tmp.resolve("sim.db");
        try (FedmedProcess sim = FedmedProcess.start("simulate", tmp, "simulate", "--rounds", "5000", "--regimes",
                "federated", "--out", tmp.resolve("out").toString(), "--store", db.toString(), "--no-progress")) {
            FedmedProcess.await(() -> recordedRounds(db) >= 2 || !sim.alive(), Duration.ofSeconds(120),
                    "two recorded rounds");
            assertTrue(sim.alive(), "still running after round 2; " + sim.output());
            sim.terminate();
            assertEquals(143, sim.awaitExit(Duration.ofSeconds(60)), "exit status of SIGTERM; " + sim.output());
        }
        try (RunStore s = RunStore.openReadOnly(db)) {
            RunInfo run = s.runs().getLast();
            assertEquals("heart-disease-federated", run.name());
            assertEquals(RunStatus.FAILED, run.status());
            assertTrue(run.stopReason().orElse("").contains("interrupted (SIGINT or SIGTERM)"), run.stopReason() + "");
            int last = s.lastRecordedRound(run.id()).orElseThrow();
            assertTrue(last >= 2 && last < 5000, "rounds recorded: " + last);
            assertEquals(last, s.rounds(run.id()).size(), "rounds 1.." + last + ", each once");
        }
    }
}
