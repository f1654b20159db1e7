package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.data.federated.SiteData;
import org.fedmed.ml.Model;
import org.fedmed.ml.Models;
import org.fedmed.ml.survival.CoxMetrics;
import org.fedmed.ml.survival.CoxSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A governed site with a survival label trains an approved Cox spec and reports the C-index and the Cox loss. */
class GovernedSiteCoxTest {

    private static final int COLS = 2;
    private static final CoxSpec COX = CoxSpec.breslow();

    /** Exponential times with hazard exp(1.2 x0 - 0.4 x1), uniform censoring; time then event flag per row. */
    private static LabeledData rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * COLS];
        float[] y = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[i * COLS] = (float) r.nextGaussian();
            x[i * COLS + 1] = (float) r.nextGaussian();
            double event = -Math.log(1 - r.nextDouble()) / Math.exp(1.2 * x[i * COLS] - 0.4 * x[i * COLS + 1]);
            double censor = 3 * r.nextDouble();
            y[2 * i] = (float) Math.min(event, censor);
            y[2 * i + 1] = event <= censor ? 1f : 0f;
        }
        return new LabeledData(x, y, n, COLS, 0, List.of("a", "b"), LabelLayout.TIME_AND_EVENT);
    }

    private static GovernedSite site(LabeledData train, LabeledData test) {
        LocalData data = new LocalData(new SiteData("north", train, test, 1.0), List.of("a", "b"), 0, "synthetic");
        return new GovernedSite(data, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("fedavg"), List.of(COX), 50, 10_000)));
    }

    @Test
    void evaluationReportsTheCIndexAndCoxLossOfTheTrainedModelOnTheTestRows() {
        LabeledData test = rows(40, 2);
        GovernedSite site = site(rows(120, 1), test);
        Model model = Models.build(COX, COLS, CoxMetrics.objective());
        FitConfig fit = new FitConfig(20, 16, 0.2, false, 3);
        FitTask fitTask = new FitTask(1, "north", model.init(1), fit);
        var decision = site.review(new TaskOffer(fitTask.taskId(), TaskKind.FIT, 1, model.layout(),
                4L * model.parameterCount(), "fedavg", COX.toJson(), fit));
        assertTrue(decision.accepted(), decision.toString());
        ModelParameters trained = site.fit(fitTask).parameters();
        EvalTask eval = new EvalTask(1, "north", trained);
        assertTrue(site.review(new TaskOffer(eval.taskId(), TaskKind.EVALUATE, 1, model.layout(),
                4L * model.parameterCount(), "fedavg", COX.toJson(), null)).accepted());
        EvalResult result = site.evaluate(eval);

        assertEquals(new CoxMetrics().compute(model.predict(trained.flat(), test), test.labels()), result.metrics());
        assertTrue(result.metrics().get("c_index") > 0.7, "the site learned the hazard's ranking: " + result.metrics());
        assertTrue(trained.flat()[0] > 0 && trained.flat()[1] < 0, "signs of the true coefficients");
    }

    @Test
    void aCoxTaskAtASiteWithANumericLabelIsRefusedAtReviewNamingTheSurvivalLabel() {
        LabeledData numeric = new LabeledData(new float[20], new float[10], 10, COLS, 0, List.of("a", "b"));
        GovernedSite site = site(numeric, numeric);
        Model model = Models.build(COX, COLS, CoxMetrics.objective());
        FitConfig fit = new FitConfig(1, 4, 0.1, false, 3);
        FitTask task = new FitTask(1, "north", model.init(1), fit);
        var decision = site.review(new TaskOffer(task.taskId(), TaskKind.FIT, 1, model.layout(),
                4L * model.parameterCount(), "fedavg", COX.toJson(), fit));
        assertEquals(false, decision.accepted());
        assertTrue(decision.reason().contains("model spec: type 'cox' trains on a survival label (label kind survival:"
                + " a time and an event column), but the dataset's label is a numeric target"), decision.reason());
        assertThrows(IllegalStateException.class, () -> site.fit(task), "a refused task never trains");
    }
}
