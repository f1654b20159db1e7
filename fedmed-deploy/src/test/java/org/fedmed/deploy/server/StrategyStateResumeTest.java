package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.privacy.fedavg.DpFedAvgStrategy;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.FallbackPolicy;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.run.ResumePoint;
import org.fedmed.server.run.RunResumer;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed after round 3 and resumed from the run store ends with the same model, bit for bit, as a run that was
 * never interrupted, for strategies that carry state between rounds: FedAdam (the server optimizer's moments) and
 * DP-FedAvg with adaptive clipping and server momentum (the accountant, the clip norm, the momentum). The strategy is
 * built from its config exactly as a deployment server builds it, and the state goes through the checkpoint files.
 */
class StrategyStateResumeTest {

    static final int ROUNDS = 7;
    static final int KILLED_AFTER = 3;

    @TempDir
    Path dir;

    /** A site that moves every weight part way to its own target, with seeded noise. */
    record TargetSite(String siteId, float target, long examples) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            float[] w = t.global().copyFlat();
            Random r = new Random(t.config().seed());
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.3f * (target - w[i]) + 0.05f * (float) r.nextGaussian();
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples,
                    1.0, Map.of("loss", (double) Math.abs(w[0] - target)));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(siteId, t.taskId(), examples,
                    Map.of("log_loss", (double) Math.abs(t.global().flat()[0] - target)));
        }
    }

    static final List<TargetSite> SITES = List.of(new TargetSite("a", 1, 40), new TargetSite("b", 2, 30),
            new TargetSite("c", -1, 20), new TargetSite("d", 4, 25), new TargetSite("e", 0.5f, 35));

    static final String FEDADAM = """
            strategy: fedadam
            server_lr: 0.05
            server_optimizer: {beta1: 0.8, beta2: 0.95, tau: 0.01}
            rounds: %d
            seed: 9
            min_rows: 1
            max_site_weight_share: 1
            """.formatted(ROUNDS);

    static final String DP = """
            strategy: fedavgm
            server_optimizer: {momentum: 0.5}
            rounds: %d
            seed: 9
            min_rows: 1
            max_site_weight_share: 1
            dp: {noise_multiplier: 0.3, clip_norm: 0.5, adaptive_clipping: true, sampling: fixed, sites_per_round: 4,
                 target_epsilon: 1000, delta: 1.0e-5}
            """.formatted(ROUNDS);

    static ModelParameters initial() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[]{0.1f, -0.2f, 0.3f}),
                new Tensor("b", new int[]{1}, new float[]{0})));
    }

    static Strategy strategy(String yaml) {
        SimulationConfig c = ConfigLoader.parse(yaml, "server.yaml", Map.of());
        return FederatedSetup.forServer(c, PlanSettings.fitConfig(c), SITES.size()).strategy();
    }

    static EngineConfig engine() {
        return EngineConfig.of(StoppingRule.rounds(ROUNDS), 9);
    }

    static RunResult run(Strategy s, ModelParameters start, int first, Iterable<RoundRecord> earlier, RunListener l) {
        try (InProcessSitePool pool = new InProcessSitePool(SITES, 1)) {
            return new RoundEngine(s, pool, engine(), l).run(start, first, earlier);
        }
    }

    /** Stands for the process dying right after round k was made durable. */
    static final class Crash extends RuntimeException {
    }

    ModelParameters killedAndResumed(String yaml, boolean restoreState) {
        try (RunStore store = RunStore.open(dir.resolve(restoreState + "-runs.db"))) {
            long id = store.createRun("r", "{}", 9);
            CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve(restoreState + "-ckpt"), id, 2);
            Strategy first = strategy(yaml);
            var persisting = new PersistingRunListener(store, id, ckpts, null, first::state);
            assertThrows(Crash.class, () -> run(first, initial(), 1, List.of(), new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, ModelParameters global) {
                    persisting.roundFinished(record, global);
                    if (record.round() == KILLED_AFTER) {
                        throw new Crash();
                    }
                }
            }));
            ResumePoint point = new RunResumer(store).resume(id, FallbackPolicy.FAIL).orElseThrow();
            assertEquals(KILLED_AFTER, point.lastRound());
            Strategy second = strategy(yaml);
            if (restoreState) {
                second.restore(point.strategyState());
            }
            var again = new PersistingRunListener(store, id, ckpts, null, second::state);
            return run(second, point.global(), point.firstRound(), point.earlier(), again).finalModel();
        }
    }

    @Test
    void aKilledFedAdamRunResumesToTheUninterruptedModelBitForBit() {
        ModelParameters straight = run(strategy(FEDADAM), initial(), 1, List.of(), null).finalModel();
        assertEquals(List.of(straight.flat().length), List.of(4));
        assertBitIdentical(straight, killedAndResumed(FEDADAM, true));
        assertFalse(java.util.Arrays.equals(straight.flat(), killedAndResumed(FEDADAM, false).flat()),
                "without the optimizer's moments the resumed run would differ: the state is what makes it equal");
    }

    @Test
    void aKilledDpFedAvgRunResumesToTheUninterruptedModelAndEpsilonBitForBit() {
        Strategy uninterrupted = strategy(DP);
        ModelParameters straight = run(uninterrupted, initial(), 1, List.of(), null).finalModel();
        assertBitIdentical(straight, killedAndResumed(DP, true));
        assertFalse(java.util.Arrays.equals(straight.flat(), killedAndResumed(DP, false).flat()),
                "without the clip norm and momentum the resumed run would differ");
    }

    @Test
    void aResumedDpRunReportsTheWholeRunsEpsilonAndClipNorm() throws Exception {
        DpFedAvgStrategy straight = (DpFedAvgStrategy) strategy(DP);
        run(straight, initial(), 1, List.of(), null);
        try (RunStore store = RunStore.open(dir.resolve("eps.db"))) {
            long id = store.createRun("r", "{}", 9);
            CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("eps"), id, 0);
            DpFedAvgStrategy first = (DpFedAvgStrategy) strategy(DP);
            run(first, initial(), 1, List.of(), new PersistingRunListener(store, id, ckpts, null, first::state));
            assertTrue(Files.exists(ckpts.statePathFor(ROUNDS)), "the state is written beside the checkpoint");
            ResumePoint point = new RunResumer(store).resume(id, FallbackPolicy.FAIL).orElseThrow();
            DpFedAvgStrategy restored = (DpFedAvgStrategy) strategy(DP);
            restored.restore(point.strategyState());
            assertEquals(straight.epsilonSpent(), restored.epsilonSpent());
            assertEquals(straight.currentClipNorm(), restored.currentClipNorm());
            assertEquals(straight.history(), restored.history());
            assertTrue(restored.epsilonSpent() > 0);
        }
    }

    @Test
    void aCheckpointWhoseStateFileChangedIsRefusedNamingTheFile() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("tamper.db"))) {
            long id = store.createRun("r", "{}", 9);
            CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("tamper"), id, 0);
            Strategy s = strategy(FEDADAM);
            run(s, initial(), 1, List.of(), new PersistingRunListener(store, id, ckpts, null, s::state));
            Path state = ckpts.statePathFor(ROUNDS);
            byte[] bytes = Files.readAllBytes(state);
            bytes[bytes.length - 1] ^= 1;
            Files.write(state, bytes);
            var e = assertThrows(RuntimeException.class,
                    () -> new RunResumer(store).resume(id, FallbackPolicy.FAIL));
            assertTrue(e.getMessage().contains(state.getFileName().toString()), e.getMessage());
        }
    }

    static void assertBitIdentical(ModelParameters expected, ModelParameters actual) {
        assertEquals(expected.layout(), actual.layout());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.flat()[i]), Float.floatToRawIntBits(actual.flat()[i]),
                    "parameter " + i);
        }
    }
}
