package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies that carry state from round to round, deployed: one {@code fedmed server} and four {@code fedmed site}
 * processes (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run FedAdam, SCAFFOLD with local steps, and
 * DP-FedAvg with server momentum and central noise; the server is killed (SIGKILL) in the middle of the run and
 * restarted with {@code --resume} ({@link KillResumeRun}). The final model equals, bit for bit, what
 * {@code fedmed simulate} reaches with the same config and seed without any interruption: the server optimizer's
 * moments, SCAFFOLD's c, the accountant and the clip norm came back from the checkpoint (the DP run also reports the
 * simulation's epsilon exactly), and the site processes, which kept running, took the batches and control variates a
 * round started with when the resumed server asked them for that round again.
 */
@Timeout(400)
class StatefulStrategiesKillResumeProcessesTest {

    /** Rounds of an MLP with 8 local epochs take a tenth of a second or so: the kill lands well before the end. */
    static final int ROUNDS = 30;
    static final String COMMON = """
            dataset: heart-disease
            model: {type: mlp, hidden: [64]}
            rounds: %d
            min_fit_sites: 4
            local_epochs: 8
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            """.formatted(ROUNDS);
    static final String FEDADAM = COMMON + """
            strategy: fedadam
            server_lr: 0.01
            """;
    static final String DP = COMMON + """
            strategy: fedavgm
            server_optimizer: {momentum: 0.5}
            dp: {noise_multiplier: 0.5, clip_norm: 2.0, sampling: fixed, sites_per_round: 4, target_epsilon: 1000,
                 delta: 1.0e-5}
            """;
    /**
     * SCAFFOLD with local steps: a kill in the middle of a round leaves sites that trained it, and they train it again
     * after the resume from the batches and control variates the round started with.
     */
    static final String SCAFFOLD = COMMON.replace("local_epochs: 8", "local_steps: 60") + """
            strategy: scaffold
            """;
    static final String SPEC = "{type: mlp, hidden: [64]}";

    @Test
    void aKilledFedAdamServerResumesToTheSimulatedModelBitForBit(@TempDir Path tmp) throws Exception {
        killResumeAndCompare(tmp, "fedadam-run", FEDADAM, "fedadam");
    }

    @Test
    void aKilledScaffoldServerWithLocalStepsResumesToTheSimulatedModelBitForBit(@TempDir Path tmp) throws Exception {
        killResumeAndCompare(tmp, "scaffold-run", SCAFFOLD, "scaffold");
    }

    @Test
    void aKilledDpFedAvgServerResumesToTheSimulatedModelBitForBit(@TempDir Path tmp) throws Exception {
        killResumeAndCompare(tmp, "dp-run", DP, "dp-fedavg");
    }

    private static void killResumeAndCompare(Path tmp, String run, String training, String strategyName)
            throws Exception {
        KillResumeRun.Result result = KillResumeRun.run(tmp, run, training, strategyName, SPEC, "", 3);
        int resumedAfter = result.resumedAfter();
        assertTrue(resumedAfter >= 3 && resumedAfter < ROUNDS, "killed mid-run, after round " + resumedAfter);

        if (result.uninterrupted().epsilon().isPresent()) {
            assertTrue(result.resumed().epsilon().isPresent(), result.resumedOutput());
            assertEquals(result.uninterrupted().epsilon().getAsDouble(), result.resumed().epsilon().getAsDouble(),
                    "epsilon after a kill and resume, exactly as an uninterrupted simulation's");
        }
        int rounds = result.resumed().rounds().size();
        assertEquals(ROUNDS, rounds, "every round recorded once");
        assertTrue(Files.exists(result.strategyState()), "the strategy state is checkpointed beside the model");
        assertArrayEquals(result.uninterrupted().finalModel(), result.resumed().finalModel(),
                "final model after a kill and resume, bit for bit as an uninterrupted simulation");
    }
}
