package org.fedmed.dashboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.store.RunStore;

/** A real RoundEngine run over deterministic in-process sites, recorded into a real SQLite store. */
final class TestRun {

    /** Moves every weight halfway to its target; reports a dp_epsilon that grows by 0.5 a round. */
    record TargetSite(String siteId, float target, long examples) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            float[] w = t.global().copyFlat();
            Random r = new Random(t.config().seed());
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.5f * (target - w[i]) + 0.01f * (float) r.nextGaussian();
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples,
                    1.0, Map.of("dp_epsilon", 0.5 * t.round()));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            double d = Math.abs(t.global().flat()[0] - target);
            return new EvalResult(siteId, t.taskId(), examples, Map.of("log_loss", d));
        }
    }

    static final List<TargetSite> SITES = List.of(new TargetSite("hospital-a", 1, 10),
            new TargetSite("hospital-b", 2, 30), new TargetSite("clinic-c", 6, 20));

    private TestRun() {
    }

    /** Creates a run in {@code store} and runs {@code rounds} rounds of it, recording each; returns the run id. */
    static long run(RunStore store, Path checkpoints, int rounds, RunListener extra) {
        long id = store.createRun("dash-test", "{\"rounds\":" + rounds + "}", 2026);
        var persisting = new PersistingRunListener(store, id, CheckpointDirectory.forRun(checkpoints, id, 0),
                "{\"type\":\"linear\"}");
        var strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.fraction(1.0, 3),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
        ModelParameters initial = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[2])));
        try (InProcessSitePool pool = new InProcessSitePool(SITES, 2)) {
            RunResult r = new RoundEngine(strategy, pool, EngineConfig.of(StoppingRule.rounds(rounds), 2026),
                    RunListener.all(persisting, extra)).run(initial, 1, List.of());
            return id;
        }
    }
}
