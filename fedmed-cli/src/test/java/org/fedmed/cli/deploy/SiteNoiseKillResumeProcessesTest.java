package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.PrivacySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DP-FedAvg with noise added at the sites, deployed: one {@code fedmed server} and four {@code fedmed site} processes
 * (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run {@code dp.noise: local}; each site clips its update and adds
 * its noise itself, seeded (through its {@code privacy.update_noise.seed}) from the stream {@code simulate} gives it.
 * The server is killed (SIGKILL) in the middle of the run and restarted with {@code --resume}: it continues the
 * privacy account from the checkpoint, and its run ends with the final model, bit for bit, and the epsilon, exactly,
 * that {@code fedmed simulate} reaches with the same config and seed without any interruption; the tracked
 * {@code privacy/epsilon} of every round is the simulation's too.
 */
@Timeout(400)
class SiteNoiseKillResumeProcessesTest {

    static final int ROUNDS = 30;
    static final String LOCAL = """
            dataset: heart-disease
            model: {type: mlp, hidden: [64]}
            rounds: %d
            min_fit_sites: 4
            local_epochs: 8
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            dp: {noise: local, noise_multiplier: 0.05, clip_norm: 2.0, sampling: fixed, sites_per_round: 4,
                 target_epsilon: 1.0e9, delta: 1.0e-5}
            """.formatted(ROUNDS);
    static final String SPEC = "{type: mlp, hidden: [64]}";
    static final Pattern SPENT = Pattern.compile("privacy spent: epsilon (\\S+) at delta 1\\.0E-5 over (\\d+) round");

    @Test
    void aKilledLocalNoiseServerResumesToTheSimulatedModelAndEpsilon(@TempDir Path tmp) throws Exception {
        killResumeAndCompare(tmp, "local-noise-run", LOCAL, "dp-fedavg-local", "local");
    }

    /**
     * Kills the server of {@code training} after 3 recorded rounds, resumes it, and compares its account, its
     * tracked epsilon and its final model with an uninterrupted {@code simulate} of the same config.
     */
    private static void killResumeAndCompare(Path tmp, String run, String training, String strategy, String noise)
            throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", run, 4, training);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        String resumedOutput;
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                Path siteYaml = fed.siteConfig(site, site, strategy, SPEC);
                Files.writeString(siteYaml, Files.readString(siteYaml) + "privacy:\n  update_noise:\n    seed: 42\n");
                processes.add(FedmedProcess.start(site, logs, "site", "--config", siteYaml.toString()));
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
            resumedOutput = resumed.output();
            assertTrue(processes.get(1).output().contains("update noise: DP-FedAvg noise on request")
                    && processes.get(1).output().contains("seeded noise (seed 42)"), processes.get(1).output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        Matcher m = Pattern.compile("resuming run '" + run + "' \\(id 1\\) after round (\\d+)").matcher(resumedOutput);
        assertTrue(m.find(), resumedOutput);
        int resumedAfter = Integer.parseInt(m.group(1));
        assertTrue(resumedAfter >= 3 && resumedAfter < ROUNDS, "killed mid-run, after round " + resumedAfter);

        ComparisonReport sim = MatchedRun.simulate(training + "simulation: {regimes: [federated]}\n");
        PrivacySummary privacy = sim.federated().privacy();
        assertEquals(strategy, sim.federated().strategy());
        Matcher account = Pattern.compile("privacy: dp-fedavg-" + noise + ", noise " + noise
                + "; epsilon (\\S+) at delta 1\\.0E-5 before round (\\d+)").matcher(resumedOutput);
        assertTrue(account.find(), resumedOutput);
        assertEquals(resumedAfter + 1, Integer.parseInt(account.group(2)));
        assertEquals(privacy.rounds().get(resumedAfter - 1).epsilon(), Double.parseDouble(account.group(1)),
                "the resumed server continues the account where the killed one left it");
        Matcher spent = SPENT.matcher(resumedOutput);
        assertTrue(spent.find(), resumedOutput);
        assertEquals(ROUNDS, Integer.parseInt(spent.group(2)));
        assertEquals(privacy.epsilon(), Double.parseDouble(spent.group(1)),
                "epsilon after a kill and resume, exactly as an uninterrupted simulation's");

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo info = store.latestRun(run).orElseThrow();
            assertEquals(RunStatus.COMPLETED, info.status());
            assertEquals(ROUNDS, store.rounds(info.id()).size(), "every round recorded once");
            Path last = store.checkpoint(info.id(), ROUNDS).orElseThrow().path();
            float[] deployed = SafetensorsReader.read(last).parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed,
                    "final model after a kill and resume, bit for bit as an uninterrupted simulation");
        }

        // both server processes tracked privacy/epsilon; every round's value is the simulation's
        Map<Integer, Double> tracked = new TreeMap<>();
        for (String line : Files.readAllLines(fed.store().toAbsolutePath().resolveSibling("tracking")
                .resolve("metrics.csv"))) {
            String[] f = line.split(",");
            if (f[0].equals(run + "-1") && f[2].isEmpty() && f[3].equals("privacy/epsilon")) {
                tracked.put(Integer.parseInt(f[1]), Double.parseDouble(f[4]));
            }
        }
        Map<Integer, Double> simulated = new TreeMap<>();
        privacy.rounds().forEach(r -> simulated.put(r.round(), r.epsilon()));
        // the kill may land between recording round k in the store and tracking it
        tracked.putIfAbsent(resumedAfter, simulated.get(resumedAfter));
        assertEquals(simulated, tracked, "privacy/epsilon tracked after every round, before and after the resume");
    }

    private static int recorded(Federation fed, String run) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun(run).map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
