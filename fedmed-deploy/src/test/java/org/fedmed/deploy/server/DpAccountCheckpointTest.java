package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.privacy.fedavg.DpFedAvgStrategy;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy account of a DP-FedAvg run, built as a deployment server builds it, goes through a checkpoint file and
 * comes back exactly: the Renyi orders and the RDP accumulated at each, the steps composed, the sampling rate and
 * the plan's DP settings, checked against values worked out by hand. A resumed plan with other DP settings, or an
 * account that is not what its rounds compose to, is refused; and the budget still holds across a restart. Under
 * secure aggregation the account goes through the checkpoint beside the secure aggregation's server optimizer.
 */
class DpAccountCheckpointTest {

    static final List<String> SITES = List.of("a", "b", "c", "d");

    /** q = 1 (every site every round) and z = 2: the sampled Gaussian's RDP at order alpha is alpha / (2 z^2) = alpha / 8. */
    static final String LOCAL = """
            rounds: 5
            seed: 9
            dp: {noise: local, noise_multiplier: 2.0, clip_norm: 1.0, sampling: fixed, delta: 1.0e-5}
            """;

    @TempDir
    Path dir;

    static DpFedAvgStrategy strategy(String yaml) {
        SimulationConfig c = ConfigLoader.parse(yaml, "server.yaml", Map.of());
        return FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size()).privacy();
    }

    static ModelParameters model() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{0.5f, -0.5f})));
    }

    /** Charges rounds {@code from..to} with {@code sites} available, as the engine's configureFit does. */
    static void charge(DpFedAvgStrategy s, int from, int to, List<String> sites) {
        for (int r = from; r <= to; r++) {
            s.configureFit(new RoundContext(r, model(), sites, 9));
        }
    }

    StrategyState throughCheckpoint(StrategyState state, int round) throws Exception {
        CheckpointDirectory ckpts = new CheckpointDirectory(dir, 3);
        CheckpointRef ref = ckpts.write(1, round, model(), null, state);
        return CheckpointDirectory.stateOf(ref.path(), SafetensorsReader.read(ref.path()).metadata());
    }

    @Test
    void theAccountRoundTripsThroughACheckpointFileWithItsLiteralValues() throws Exception {
        DpFedAvgStrategy first = strategy(LOCAL);
        charge(first, 1, 3, SITES);
        StrategyState read = throughCheckpoint(first.state(), 3);
        Map<String, String> v = read.values();

        assertEquals("3", v.get("dp.rounds"));
        assertEquals("3", v.get("dp.accountant.steps"));
        assertEquals("1.0 2.0 3", v.get("dp.accountant.composed"));
        assertEquals("1.0", v.get("dp.next_sampling_rate"));
        String[] orders = v.get("dp.accountant.orders").split(" ");
        String[] rdp = v.get("dp.accountant.rdp").split(" ");
        assertEquals(151, orders.length, "the default orders: 1.1 .. 10.9 by 0.1, then 12 .. 63");
        assertEquals(orders.length, rdp.length);
        assertEquals("2.0", orders[9]);
        assertEquals("0.75", rdp[9], "3 rounds of 2 / 8 at order 2");
        assertEquals("12.0", orders[99]);
        assertEquals("4.5", rdp[99], "3 rounds of 12 / 8 at order 12");
        assertEquals("63.0", orders[150]);
        assertEquals("23.625", rdp[150], "3 rounds of 63 / 8 at order 63");
        assertEquals("local", v.get("dp.plan.noise"));
        assertEquals("2.0", v.get("dp.plan.noise_multiplier"));
        assertEquals("1.0", v.get("dp.plan.clip_norm"));
        assertEquals("false", v.get("dp.plan.adaptive_clipping"));
        assertEquals("1.0E-5", v.get("dp.plan.delta"));
        assertEquals("Infinity", v.get("dp.plan.target_epsilon"));
        assertEquals("fixed", v.get("dp.plan.sampling"));
        assertEquals("1.0", v.get("dp.plan.sampling_rate"));
        assertEquals("4", v.get("dp.plan.population"));

        DpFedAvgStrategy resumed = strategy(LOCAL);
        resumed.restore(read);
        assertEquals(first.privacySpent(), resumed.privacySpent());
        charge(first, 4, 5, SITES);
        charge(resumed, 4, 5, SITES);
        assertEquals(first.privacySpent(), resumed.privacySpent(), "the resumed account goes on as the first");
        assertEquals(first.history(), resumed.history());
    }

    /**
     * Distributed noise under secure aggregation, with server momentum: the account lives in the DP-FedAvg strategy
     * inside the secure-aggregation one, and goes through the checkpoint beside the outer server optimizer's
     * moments; a fresh account (the control) would report nothing spent.
     */
    @Test
    void theAccountOfDistributedNoiseUnderSecureAggregationRoundTripsThroughACheckpointFile() throws Exception {
        String yaml = """
                rounds: 5
                seed: 9
                min_fit_sites: 3
                strategy: fedavgm
                server_optimizer: {momentum: 0.5}
                dp: {noise: distributed, noise_multiplier: 2.0, clip_norm: 1.0, sampling: fixed, sites_per_round: 3,
                     delta: 1.0e-5}
                secure_aggregation: {clip_bound: 4}
                """;
        SimulationConfig c = ConfigLoader.parse(yaml, "server.yaml", Map.of());
        FederatedSetup first = FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size());
        assertEquals("dp-fedavg-distributed+secagg+", first.strategy().name());
        for (int r = 1; r <= 3; r++) {
            first.strategy().configureFit(new RoundContext(r, model(), SITES, 9));
        }
        StrategyState read = throughCheckpoint(first.strategy().state(), 3);
        assertEquals("3", read.values().get("dp.rounds"));
        assertEquals("distributed", read.values().get("dp.plan.noise"));
        assertEquals("0.75 2.0 3", read.values().get("dp.accountant.composed"));
        assertEquals("0", read.values().get("server_optimizer.steps"), "the secure aggregation's optimizer");

        FederatedSetup resumed = FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size());
        resumed.strategy().restore(read);
        assertTrue(first.privacy().epsilonSpent() > 0);
        assertEquals(first.privacy().privacySpent(), resumed.privacy().privacySpent());
        assertEquals(first.privacy().history(), resumed.privacy().history());
        assertEquals(first.strategy().state().values(), resumed.strategy().state().values());
        assertEquals(0.0, FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size()).privacy()
                .epsilonSpent(), "a fresh account spent nothing");

        StrategyState local = throughCheckpoint(strategy(LOCAL).state(), 3);
        FederatedSetup other = FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size());
        var e = assertThrows(IllegalArgumentException.class, () -> other.strategy().restore(local));
        assertTrue(e.getMessage().contains("dp.noise was local, this plan has distributed"), e.getMessage());

        // a state with the secure aggregation's optimizer only (no account) is refused, not continued from zero
        StrategyState optimizerOnly = throughCheckpoint(read.part("server_optimizer."), 3);
        FederatedSetup withoutAccount = FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size());
        var none = assertThrows(IllegalArgumentException.class, () -> withoutAccount.strategy().restore(optimizerOnly));
        assertTrue(none.getMessage().startsWith("the checkpoint's strategy state holds no 'dp.rounds'"),
                none.getMessage());
    }

    @Test
    void aResumedPlanWithOtherDpSettingsIsRefusedNamingEachSetting() throws Exception {
        DpFedAvgStrategy first = strategy(LOCAL);
        charge(first, 1, 2, SITES);
        StrategyState read = throughCheckpoint(first.state(), 2);
        DpFedAvgStrategy other = strategy(LOCAL.replace("noise_multiplier: 2.0", "noise_multiplier: 2.5")
                .replace("noise: local", "noise: central"));
        var e = assertThrows(IllegalArgumentException.class, () -> other.restore(read));
        assertEquals("cannot continue the privacy account of the checkpoint: it was spent under other DP settings"
                + " (dp.noise was local, this plan has central; dp.noise_multiplier was 2.0, this plan has 2.5)."
                + " An epsilon holds only for the mechanism it was spent under: resume with the run's own settings,"
                + " or start a new run", e.getMessage());
    }

    @Test
    void anAccountThatIsNotWhatItsRoundsComposeToIsRefused() throws Exception {
        DpFedAvgStrategy first = strategy(LOCAL);
        charge(first, 1, 3, SITES);
        StrategyState state = first.state();
        Map<String, String> lowered = new LinkedHashMap<>(state.values());
        lowered.put("dp.accountant.rdp", lowered.get("dp.accountant.rdp").replace("0.75", "0.5"));
        StrategyState edited = throughCheckpoint(new StrategyState(state.vectors(), lowered), 3);
        var e = assertThrows(IllegalArgumentException.class, () -> strategy(LOCAL).restore(edited));
        assertTrue(e.getMessage().startsWith("the checkpoint's privacy account ('dp.accountant.rdp',"), e.getMessage());
        assertTrue(e.getMessage().contains("is damaged or was edited"), e.getMessage());

        strategy(LOCAL).restore(throughCheckpoint(state, 3));
    }

    /**
     * Planned for 6 rounds of 2 of 4 sites (q = 0.5) within target_epsilon, the run gets only 2 sites in round 1
     * (q = 1), spending more than planned. After a restart the account carries that over: the resumed run stops
     * before the same round as the uninterrupted one, where a fresh account (the control) would go on.
     */
    @Test
    void theBudgetStillStopsTheRunAfterARestart() throws Exception {
        String yaml = """
                rounds: 6
                seed: 9
                dp: {noise: local, noise_multiplier: 1.0, clip_norm: 1.0, sampling: fixed, sites_per_round: 2,
                     target_epsilon: %s, delta: 1.0e-5}
                """;
        double planned = DpFedAvgStrategy.checkBudget(Double.POSITIVE_INFINITY, 1e-5, 0.5, 1.0, 6).epsilon();
        String budgeted = yaml.formatted(Double.toString(planned * 1.0001));
        DpFedAvgStrategy uninterrupted = strategy(budgeted);
        charge(uninterrupted, 1, 1, List.of("a", "b"));
        charge(uninterrupted, 2, 2, SITES);
        int stopsAt = 3;
        while (uninterrupted.stopBefore(stopsAt).isEmpty() && stopsAt < 50) {
            charge(uninterrupted, stopsAt, stopsAt, SITES);
            stopsAt++;
        }
        assertTrue(stopsAt <= 6, "the over-spent run stops before its last planned round, at " + stopsAt);

        DpFedAvgStrategy killed = strategy(budgeted);
        charge(killed, 1, 1, List.of("a", "b"));
        charge(killed, 2, 2, SITES);
        StrategyState read = throughCheckpoint(killed.state(), 2);
        DpFedAvgStrategy resumed = strategy(budgeted);
        resumed.restore(read);
        for (int r = 3; r < stopsAt; r++) {
            assertTrue(resumed.stopBefore(r).isEmpty(), "round " + r);
            charge(resumed, r, r, SITES);
        }
        var stop = resumed.stopBefore(stopsAt);
        assertTrue(stop.isPresent() && stop.get().startsWith("privacy budget: round " + stopsAt
                + " would exceed target_epsilon; spent epsilon"), stop.toString());
        assertEquals(uninterrupted.privacySpent(), resumed.privacySpent());

        DpFedAvgStrategy fresh = strategy(budgeted);
        charge(fresh, 1, stopsAt - 3, SITES);
        assertFalse(fresh.stopBefore(stopsAt - 2).isPresent(), "a fresh account after the restart would go on");
    }
}
