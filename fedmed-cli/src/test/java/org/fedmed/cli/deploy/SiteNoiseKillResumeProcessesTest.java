package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.fedmed.sim.report.PrivacySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DP-FedAvg with noise added at the sites, deployed: one {@code fedmed server} and four {@code fedmed site} processes
 * (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run {@code dp.noise: local}; each site clips its update and adds
 * its noise itself, seeded (through its {@code privacy.update_noise.seed}) from the stream {@code simulate} gives it.
 * The server is killed (SIGKILL) in the middle of the run and restarted with {@code --resume} ({@link KillResumeRun}):
 * it continues the privacy account from the checkpoint, and its run ends with the final model, bit for bit, and the
 * epsilon, exactly, that {@code fedmed simulate} reaches with the same config and seed without any interruption; the
 * tracked {@code privacy/epsilon} of every round is the simulation's too.
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
    /** Every site seeds its noise with the run seed, so it adds exactly the noise the simulated site adds. */
    static final String SEEDED_NOISE = """
            privacy:
              update_noise:
                seed: 42
            """;

    @Test
    void aKilledLocalNoiseServerResumesToTheSimulatedModelAndEpsilon(@TempDir Path tmp) throws Exception {
        KillResumeRun.Result run = KillResumeRun.run(tmp, "local-noise-run", LOCAL, "dp-fedavg-local", SPEC,
                SEEDED_NOISE, 3);
        String cleveland = run.siteOutputs().get("cleveland");
        assertTrue(cleveland.contains("update noise: DP-FedAvg noise on request")
                && cleveland.contains("seeded noise (seed 42)"), cleveland);
        int resumedAfter = run.resumedAfter();
        assertTrue(resumedAfter >= 3 && resumedAfter < ROUNDS, "killed mid-run, after round " + resumedAfter);

        PrivacySummary privacy = run.simulation().federated().privacy();
        assertEquals("dp-fedavg-local", run.simulation().federated().strategy());
        KillResumeRun.AccountAtResume account = run.accountAtResume("dp-fedavg-local", "local");
        assertEquals(resumedAfter + 1, account.beforeRound());
        assertEquals(privacy.rounds().get(resumedAfter - 1).epsilon(), account.epsilon(),
                "the resumed server continues the account where the killed one left it");
        Matcher spent = KillResumeRun.SPENT.matcher(run.resumedOutput());
        assertTrue(spent.find(), run.resumedOutput());
        assertEquals("1.0E-5", spent.group(2));
        assertEquals(ROUNDS, Integer.parseInt(spent.group(3)), "the account covers every round");
        assertEquals(run.uninterrupted().epsilon().orElseThrow(), run.resumed().epsilon().orElseThrow(),
                "epsilon after a kill and resume, exactly as an uninterrupted simulation's");

        assertEquals(ROUNDS, run.resumed().rounds().size(), "every round recorded once");
        assertArrayEquals(run.uninterrupted().finalModel(), run.resumed().finalModel(),
                "final model after a kill and resume, bit for bit as an uninterrupted simulation");

        // both server processes tracked privacy/epsilon; every round's value is the simulation's
        Map<Integer, Double> tracked = new TreeMap<>(run.resumed().epsilonByRound());
        // the kill may land between recording round k in the store and tracking it
        tracked.putIfAbsent(resumedAfter, run.uninterrupted().epsilonByRound().get(resumedAfter));
        assertEquals(run.uninterrupted().epsilonByRound(), tracked,
                "privacy/epsilon tracked after every round, before and after the resume");
    }
}
