package org.fedmed.server.run;

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

/** A tiny deterministic federation for engine-level tests: sites pull the model towards their own targets. */
final class FakeFederation {

    /** A site that moves every weight halfway to its target plus seeded noise, and fails in one round if told. */
    record TargetSite(String siteId, float target, long examples, int failRound) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            if (t.round() == failRound) {
                throw new IllegalStateException("site " + siteId + " lost its connection");
            }
            float[] w = t.global().copyFlat();
            Random r = new Random(t.config().seed());
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.5f * (target - w[i]) + 0.01f * (float) r.nextGaussian();
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples,
                    1.0, Map.of("loss", (double) Math.abs(w[0] - target)));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            double d = Math.abs(t.global().flat()[0] - target);
            return new EvalResult(siteId, t.taskId(), examples, Map.of("log_loss", d, "auc", Double.NaN));
        }
    }

    static final long SEED = 2026;

    private FakeFederation() {
    }

    static List<TargetSite> sites() {
        return List.of(new TargetSite("hospital-a", 1, 10, 2), new TargetSite("hospital-b", 2, 30, 3),
                new TargetSite("clinic-c", 6, 20, 1), new TargetSite("lab-d", -3, 5, 5));
    }

    static ModelParameters initial() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2, 2}, new float[4]),
                new Tensor("b", new int[]{2}, new float[]{0.5f, -0.5f})));
    }

    static FederatedAveraging strategy() {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.fraction(0.75, 2),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    static EngineConfig config(int rounds) {
        return EngineConfig.of(StoppingRule.rounds(rounds), SEED);
    }

    /** Runs rounds {@code firstRound..rounds} from {@code start}. */
    static RunResult run(int rounds, ModelParameters start, int firstRound,
                         Iterable<org.fedmed.core.engine.RoundRecord> earlier, RunListener listener) {
        try (InProcessSitePool pool = new InProcessSitePool(sites(), 2)) {
            return new RoundEngine(strategy(), pool, config(rounds), listener).run(start, firstRound, earlier);
        }
    }

    static String configJson(int rounds) {
        return "{\"rounds\":" + rounds + ",\"strategy\":\"fedavg\",\"fraction\":0.75}";
    }
}
