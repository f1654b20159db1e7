package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.deploy.site.JsonLinesAuditLog;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DP-FedAvg with distributed noise under secure aggregation, deployed: one {@code fedmed server} and four
 * {@code fedmed site} processes (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run {@code dp.noise: distributed}
 * with {@code secure_aggregation} (SecAgg+, the default topology), 3 of the 4 sites sampled per round. Each sampled
 * site clips its delta and adds its share of the noise, N(0, (z C)^2 / 3), seeded through its
 * {@code privacy.update_noise.seed}, before it masks the update; every site requires secure aggregation, so no
 * update leaves in the clear. The server is killed (SIGKILL) in the middle of the run and resumed
 * ({@link KillResumeRun}): it continues the privacy account from the checkpoint, ends with the epsilon the RDP
 * accountant gives for the plan's q = 3/4, z and rounds, and with the final model, bit for bit, that an
 * uninterrupted {@code fedmed simulate} of the same plan reaches (the masks cancel exactly, so the unmasked sum is
 * the same fixed-point sum of the same noised updates in both).
 */
@Timeout(400)
class DistributedNoiseKillResumeProcessesTest {

    static final int ROUNDS = 20;
    static final double Z = 0.5;
    static final double Q = 3.0 / 4.0;
    static final double DELTA = 1.0e-5;
    static final String DISTRIBUTED = """
            dataset: heart-disease
            model: {type: mlp, hidden: [16]}
            rounds: %d
            min_fit_sites: 3
            local_epochs: 4
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            dp: {noise: distributed, noise_multiplier: %s, clip_norm: 2.0, sampling: fixed, sites_per_round: 3,
                 target_epsilon: 1.0e9, delta: %s}
            secure_aggregation: {clip_bound: 4, stage_deadline_seconds: 20}
            """.formatted(ROUNDS, Z, DELTA);
    static final String STRATEGY = "dp-fedavg-distributed+secagg+";
    static final String SPEC = "{type: mlp, hidden: [16]}";
    /**
     * Every site refuses a fit whose update would leave in the clear, and one whose noise share is below z / sqrt(3)
     * (0.2887); it seeds its noise with the run seed, so it adds exactly the noise the simulated site adds.
     */
    static final String SITE_KEYS = """
            require_secure_aggregation: true
            privacy:
              update_noise:
                seed: 42
                min_noise_multiplier: 0.2886
            """;

    @Test
    void aKilledDistributedNoiseServerUnderSecAggResumesToTheAccountantsEpsilonAndTheSimulatedModel(
            @TempDir Path tmp) throws Exception {
        KillResumeRun.Result run = KillResumeRun.run(tmp, "distributed-noise-run", DISTRIBUTED, STRATEGY, SPEC,
                SITE_KEYS, 3);
        int resumedAfter = run.resumedAfter();
        assertTrue(resumedAfter >= 3 && resumedAfter < ROUNDS, "killed mid-run, after round " + resumedAfter);
        assertEquals(STRATEGY, run.simulation().federated().strategy());
        assertTrue(run.resumedOutput().contains("strategy " + STRATEGY), run.resumedOutput());

        // the accountant called directly: each round one sampled Gaussian step at the plan's q and z
        RdpAccountant independent = new RdpAccountant();
        Map<Integer, Double> perRound = new TreeMap<>();
        for (int r = 1; r <= ROUNDS; r++) {
            independent.step(Q, Z, 1);
            perRound.put(r, independent.epsilon(DELTA).epsilon());
        }
        double expected = perRound.get(ROUNDS);
        assertEquals(new RdpAccountant().step(Q, Z, ROUNDS).epsilon(DELTA).epsilon(), expected, 1e-9 * expected,
                "the rounds composed one by one are the plan's rounds composed at once");

        KillResumeRun.AccountAtResume account = run.accountAtResume("dp-fedavg-distributed", "distributed");
        assertEquals(resumedAfter + 1, account.beforeRound());
        assertEquals(perRound.get(resumedAfter), account.epsilon(),
                "the resumed server continues the account where the killed one left it, not from zero");
        Matcher spent = KillResumeRun.SPENT.matcher(run.resumedOutput());
        assertTrue(spent.find(), run.resumedOutput());
        assertEquals(ROUNDS, Integer.parseInt(spent.group(3)), "the account covers every round");
        assertEquals(expected, run.resumed().epsilon().orElseThrow(),
                "epsilon after a kill and resume, exactly the accountant's for the whole plan");
        assertEquals(expected, run.uninterrupted().epsilon().orElseThrow(), "the uninterrupted run's epsilon");
        Map<Integer, Double> tracked = new TreeMap<>(run.resumed().epsilonByRound());
        tracked.putIfAbsent(resumedAfter, perRound.get(resumedAfter)); // the kill may land before it was tracked
        assertEquals(perRound, tracked, "privacy/epsilon tracked after every round, before and after the resume");

        List<RoundRecord> rounds = run.resumed().rounds();
        assertEquals(ROUNDS, rounds.size(), "every round recorded once");
        for (int r = 0; r < ROUNDS; r++) {
            assertEquals(3, rounds.get(r).succeeded().size(), "round " + (r + 1) + ": " + rounds.get(r).failures());
            assertEquals(run.uninterrupted().rounds().get(r).succeeded().stream().sorted().toList(),
                    rounds.get(r).succeeded().stream().sorted().toList(), "round " + (r + 1) + " cohort as simulated");
            assertEquals(run.uninterrupted().rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                    "round " + (r + 1) + " eval");
        }
        assertArrayEquals(run.uninterrupted().finalModel(), run.resumed().finalModel(),
                "final model after a kill and resume, bit for bit as an uninterrupted simulation");

        // it ran under secure aggregation: every site that delivered a round answered its masked-input stage, and
        // no fit result carried the update (its bytes are a small fraction of the model it received)
        for (String site : Federation.HOSPITALS) {
            TreeMap<Integer, Integer> maskedInputs = new TreeMap<>();
            int fitsSent = 0;
            for (Map<String, Object> e : JsonLinesAuditLog.read(run.federation().auditLog(site))) {
                if ("exchange_answered".equals(e.get("event")) && String.valueOf(e.get("metric_keys"))
                        .contains("masked_input") && e.get("round") instanceof Number n) {
                    maskedInputs.merge(n.intValue(), 1, Integer::sum);
                }
                if ("sent".equals(e.get("event")) && "fit".equals(e.get("kind"))) {
                    fitsSent++;
                    long received = ((Number) e.get("bytes_received")).longValue();
                    long sent = ((Number) e.get("bytes_sent")).longValue();
                    assertTrue(received > 1000 && sent < received / 4, site + ": a fit result of " + sent
                            + " bytes for a model of " + received + " carries no parameters: " + e);
                }
            }
            assertTrue(fitsSent > 0, site + " sent fits");
            for (int r = 1; r <= ROUNDS; r++) {
                if (rounds.get(r - 1).succeeded().contains(site)) {
                    assertTrue(maskedInputs.containsKey(r), site + " sent round " + r + " masked: " + maskedInputs);
                }
            }
        }
        // with its noise at the sites: the checkpointed account was spent under distributed noise
        Map<String, String> state = SafetensorsReader.read(run.strategyState()).metadata();
        assertEquals("distributed", state.get("dp.plan.noise"), state.toString());
        assertEquals(Integer.toString(ROUNDS), state.get("dp.rounds"), state.toString());

        // control: the same plan with the whole noise at each site (local) reaches another model, so the deployed
        // model carries exactly the sites' shares of the noise
        float[] local = MatchedRun.simulate(DISTRIBUTED.replace("noise: distributed", "noise: local")
                + "simulation: {regimes: [federated]}\n").federated().finalModel().flat();
        assertFalse(Arrays.equals(local, run.resumed().finalModel()), "local noise gives another model");
    }
}
