package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.WeightCaps;
import org.fedmed.data.TestData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.ml.Model;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/**
 * A member with a valid place in the federation that claims a billion examples, sends the global model back
 * unchanged (an update of norm zero, under any norm bound) and reports a perfect evaluation, on Fed-Heart-Disease.
 * Unbounded, it freezes the model; with the default influence bound the honest hospitals' model is what it would
 * be without it, and the round's figures are not the liar's.
 */
class LyingSiteTest {

    static final String TRAINING = """
            dataset: heart-disease
            rounds: 40
            local_epochs: 2
            simulation:
              regimes: [federated]
              parallelism: 1
            seed: 7
            """;

    /** Returns whatever it is sent, claiming a billion training and test examples and an AUC of 1. */
    static final class Liar implements SiteClient {
        @Override
        public String siteId() {
            return "liar";
        }

        @Override
        public FitResult fit(FitTask t) {
            return new FitResult("liar", t.taskId(), t.global(), false, 1_000_000_000L, 1.0, Map.of("loss", 0.0));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult("liar", t.taskId(), 1_000_000_000L, Map.of("roc_auc", 1.0, "log_loss", 0.0));
        }
    }

    record Outcome(double honestPooledAuc, RunResult run, int capped) {
    }

    static Outcome run(String extra, boolean withLiar) {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = ConfigLoader.parse(TRAINING + extra, "test", Map.of());
        FederatedDataset data = SimulationData.load(cfg, registry);
        Model model = Models.build(PlanSettings.modelSpec(cfg), data.featureNames().size(), data.classes());
        List<SiteClient> clients = new ArrayList<>();
        for (SiteData s : data.sites()) {
            clients.add(new TrainingSiteClient(s.siteId(), model, s.train(), s.test(), s.quality()));
        }
        if (withLiar) {
            clients.add(new Liar());
        }
        var setup = FederatedSetup.of(cfg, PlanSettings.fitConfig(cfg), clients);
        AtomicInteger capped = new AtomicInteger();
        RunResult run;
        try (InProcessSitePool pool = new InProcessSitePool(setup.sites(), 1)) {
            run = new RoundEngine(setup.strategy(), pool, PlanSettings.engineConfig(cfg, model.objective()),
                    new RunListener() {
                        @Override
                        public void weightCapped(int round, WeightCaps.Capped c) {
                            assertEquals("liar", c.siteId());
                            capped.incrementAndGet();
                        }
                    }).run(model.init(cfg.seed()));
        }
        LabeledData pooled = LabeledData.concat(data.sites().stream().map(SiteData::test).toList());
        double auc = ClassificationMetrics.compute(model.predict(run.finalModel().flat(), pooled), pooled.labels(),
                pooled.classes()).get("roc_auc");
        return new Outcome(auc, run, capped.get());
    }

    @Test
    void aBillionClaimedExamplesNoLongerMoveTheModelBeyondTheBound() {
        Outcome honest = run("", false);
        Outcome bounded = run("", true);
        Outcome unbounded = run("max_site_weight_share: 1.0\n", true);

        System.out.printf("pooled AUC of the honest hospitals: without liar %.4f, liar bounded %.4f, liar unbounded %.4f%n",
                honest.honestPooledAuc(), bounded.honestPooledAuc(), unbounded.honestPooledAuc());
        assertTrue(honest.honestPooledAuc() > 0.85, "honest run: " + honest.honestPooledAuc());
        // the control: with plain FedAvg weights the liar freezes the model at its initial, useless state
        assertTrue(unbounded.honestPooledAuc() < honest.honestPooledAuc() - 0.1,
                "unbounded liar: " + unbounded.honestPooledAuc() + " vs honest " + honest.honestPooledAuc());
        assertEquals(1.0, unbounded.run().rounds().getLast().evalMetrics().get("roc_auc"), 1e-6);

        assertEquals(honest.honestPooledAuc(), bounded.honestPooledAuc(), 0.02);
        assertEquals(40, bounded.capped(), "the liar is capped, and recorded as such, every round");
        var last = bounded.run().rounds().getLast();
        assertNotEquals(1.0, last.evalMetrics().get("roc_auc"), 0.01);
        // the median over sites moves by one order statistic, not to the liar's figure: it is the middle of the
        // honest hospitals' AUCs with the liar's 1.0 among them
        double[] aucs = last.siteEvalMetrics().values().stream().mapToDouble(m -> m.get("roc_auc")).sorted().toArray();
        assertEquals(5, aucs.length, "four hospitals and the liar evaluated: " + last.siteEvalMetrics());
        assertEquals(1.0, aucs[4], 1e-9, "the liar's claimed AUC is the largest");
        assertEquals(aucs[2], last.evalMetrics().get("roc_auc_median"), 1e-9);
        assertTrue(aucs[2] < 0.99, "median " + aucs[2] + " is not the liar's 1.0");
        assertEquals(1_000_000_000L, last.fitClaims().get("liar"));
    }
}
