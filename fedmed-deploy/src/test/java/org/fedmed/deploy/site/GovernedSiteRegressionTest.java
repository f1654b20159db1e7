package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.metrics.RegressionMetrics;
import org.fedmed.data.federated.SiteData;
import org.fedmed.ml.LossType;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A governed site with a numeric label trains the approved spec as a regression and reports regression metrics. */
class GovernedSiteRegressionTest {

    private static final int COLS = 3;
    private static final ModelSpec MAE = ModelSpec.logistic().withLoss(LossType.MAE);

    private static LabeledData rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * COLS];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = 1;
            for (int c = 0; c < COLS; c++) {
                x[i * COLS + c] = (float) r.nextGaussian();
                t += (c + 1) * x[i * COLS + c];
            }
            y[i] = (float) (t + 0.1 * r.nextGaussian());
        }
        return new LabeledData(x, y, n, COLS, 0, List.of("a", "b", "c"));
    }

    @Test
    void evaluationReportsRmseMaeR2AndMseOfTheTrainedModelOnTheTestRows() {
        LabeledData test = rows(30, 2);
        LocalData data = new LocalData(new SiteData("north", rows(80, 1), test, 1.0), List.of("a", "b", "c"), 0,
                "synthetic");
        GovernedSite site = new GovernedSite(data, new AllowListPolicy(new AllowList(
                Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(MAE), 10, 10_000)));
        Model model = Models.build(MAE, COLS, 0);
        FitConfig fit = new FitConfig(10, 8, 0.05, false, 3);
        FitTask fitTask = new FitTask(1, "north", model.init(1), fit);
        assertTrue(site.review(new TaskOffer(fitTask.taskId(), TaskKind.FIT, 1, model.layout(),
                4L * model.parameterCount(), "fedavg", MAE.toJson(), fit)).accepted());
        ModelParameters trained = site.fit(fitTask).parameters();

        EvalTask eval = new EvalTask(1, "north", trained);
        assertTrue(site.review(new TaskOffer(eval.taskId(), TaskKind.EVALUATE, 1, model.layout(),
                4L * model.parameterCount(), "fedavg", MAE.toJson(), null)).accepted());
        EvalResult result = site.evaluate(eval);

        assertEquals(Set.copyOf(RegressionMetrics.NAMES), result.metrics().keySet());
        assertEquals(RegressionMetrics.compute(model.predict(trained.flat(), test), test.labels()), result.metrics());
        assertTrue(result.metrics().get("r2") > 0.9, "the site learned its linear target: " + result.metrics());
    }
}
