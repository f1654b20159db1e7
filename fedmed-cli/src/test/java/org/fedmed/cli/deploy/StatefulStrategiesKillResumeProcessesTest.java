package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies that carry state from round to round, deployed: one {@code fedmed server} and four {@code fedmed site}
 * processes (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run FedAdam, SCAFFOLD with local steps, and
 * DP-FedAvg with server momentum and central noise; the server is killed (SIGKILL) in the middle of the run and
 * restarted with {@code --resume}. The final model equals, bit for bit, what {@code fedmed simulate} reaches with the
 * same config and seed without any interruption: the server optimizer's moments, SCAFFOLD's c, the accountant and
 * the clip norm came back from the checkpoint (the DP run also reports the simulation's epsilon exactly), and the
 * site processes, which kept running, took the batches and control variates a round started with when the resumed
 * server asked them for that round again.
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
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", run, 4, training);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        int resumedAfter;
        String resumedOutput;
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, strategyName, SPEC).toString()));
            }
            try {
                FedmedProcess.await(() -> recorded(fed, run) >= 3, Duration.ofSeconds(180), "3 recorded rounds");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; server: " + server.output() + "; cleveland: "
                        + processes.get(1).output(), e);
            }
            server.kill();
            FedmedProcess resumed = FedmedProcess.start("server-resumed", logs, "server", "--config",
                    serverYaml.toString(), "--resume");
            processes.add(resumed);
            assertEquals(0, resumed.awaitExit(Duration.ofSeconds(240)), resumed.output());
            Matcher m = Pattern.compile("resuming run '" + run + "' \\(id 1\\) after round (\\d+)")
                    .matcher(resumed.output());
            assertTrue(m.find(), resumed.output());
            resumedAfter = Integer.parseInt(m.group(1));
            resumedOutput = resumed.output();
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        assertTrue(resumedAfter >= 3 && resumedAfter < ROUNDS, "killed mid-run, after round " + resumedAfter);

        ComparisonReport sim = simulate(training);
        if (sim.federated().privacy() != null) {
            Matcher spent = Pattern.compile("privacy spent: epsilon (\\S+) at delta").matcher(resumedOutput);
            assertTrue(spent.find(), resumedOutput);
            assertEquals(sim.federated().privacy().epsilon(), Double.parseDouble(spent.group(1)),
                    "epsilon after a kill and resume, exactly as an uninterrupted simulation's");
        }
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo info = store.latestRun(run).orElseThrow();
            assertEquals(RunStatus.COMPLETED, info.status());
            int rounds = store.rounds(info.id()).size();
            assertEquals(ROUNDS, rounds, "every round recorded once");
            Path last = store.checkpoint(info.id(), rounds).orElseThrow().path();
            assertTrue(Files.exists(last.resolveSibling(String.format("round-%04d.strategy.safetensors", rounds))),
                    "the strategy state is checkpointed beside the model");
            float[] deployed = SafetensorsReader.read(last).parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed,
                    "final model after a kill and resume, bit for bit as an uninterrupted simulation");
        }
    }

    private static int recorded(Federation fed, String run) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun(run).map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static ComparisonReport simulate(String training) {
        return MatchedRun.simulate(training + "simulation: {regimes: [federated]}\n");
    }
}
