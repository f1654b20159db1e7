package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.data.federated.SiteData;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A governed site trains only the spec its allow-list approved for a task, and runs no task it did not approve. */
class GovernedSiteTest {

    static final String SITE = "cleveland";
    static final int COLS = 4;
    static final ModelSpec MLP = ModelSpec.mlp(5);
    static final FitConfig FIT = new FitConfig(2, 8, 0.1, false, 11);

    static LabeledData synthetic(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * COLS];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int c = 0; c < COLS; c++) {
                x[i * COLS + c] = (float) r.nextGaussian();
                sum += x[i * COLS + c];
            }
            y[i] = sum > 0 ? 1 : 0;
        }
        return new LabeledData(x, y, rows, COLS, 2, List.of("a", "b", "c", "d"));
    }

    static final LocalData DATA = new LocalData(new SiteData(SITE, synthetic(60, 1), synthetic(20, 2), 0.9),
            List.of("a", "b", "c", "d"), 2, "synthetic");

    final GovernedSite site = new GovernedSite(DATA, new AllowListPolicy(new AllowList(
            Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(ModelSpec.logistic(), MLP), 10, 10_000)));

    static Model model(ModelSpec spec) {
        return Models.build(spec, COLS, 2);
    }

    static TaskOffer fitOffer(int round, ModelSpec spec, Model model) {
        return new TaskOffer(new FitTask(round, SITE, model.init(1), FIT).taskId(), TaskKind.FIT, round, model.layout(),
                4L * model.parameterCount(), "fedavg", spec.toJson(), FIT);
    }

    @Test
    void approvedFitTrainsTheApprovedSpecOnTheSitesData() {
        Model mlp = model(MLP);
        ModelParameters global = mlp.init(5);
        FitTask task = new FitTask(1, SITE, global, FIT);
        assertTrue(site.review(fitOffer(1, MLP, mlp)).accepted());

        FitResult result = site.fit(task);

        FitResult direct = new TrainingSiteClient(SITE, mlp, DATA.site().train(), DATA.site().test(), 0.9).fit(task);
        assertEquals(task.taskId(), result.taskId());
        assertEquals(mlp.layout(), result.parameters().layout());
        assertArrayEquals(direct.parameters().flat(), result.parameters().flat());
        assertEquals(60, result.numExamples());
        assertEquals(0.9, result.quality());
    }

    @Test
    void eachTaskRunsTheSpecItWasApprovedFor() {
        Model logistic = model(ModelSpec.logistic());
        Model mlp = model(MLP);
        assertTrue(site.review(fitOffer(1, ModelSpec.logistic(), logistic)).accepted());
        assertEquals(logistic.layout(), site.fit(new FitTask(1, SITE, logistic.init(1), FIT)).parameters().layout());
        assertTrue(site.review(fitOffer(2, MLP, mlp)).accepted());
        assertEquals(mlp.layout(), site.fit(new FitTask(2, SITE, mlp.init(1), FIT)).parameters().layout());
    }

    @Test
    void approvedEvaluateReportsMetricsOnTheTestRows() {
        Model logistic = model(ModelSpec.logistic());
        EvalTask task = new EvalTask(1, SITE, logistic.init(3));
        TaskOffer offer = new TaskOffer(task.taskId(), TaskKind.EVALUATE, 1, logistic.layout(),
                4L * logistic.parameterCount(), "fedavg", ModelSpec.logistic().toJson(), null);
        assertTrue(site.review(offer).accepted());
        EvalResult r = site.evaluate(task);
        assertEquals(20, r.numExamples());
        assertFalse(r.metrics().isEmpty());
    }

    @Test
    void taskThatWasNeverApprovedIsNotRun() {
        Model mlp = model(MLP);
        var e = assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(1, SITE, mlp.init(1), FIT)));
        assertTrue(e.getMessage().contains("did not approve task 'r1-fit-cleveland'"), e.getMessage());
    }

    @Test
    void refusedTaskIsNotRun() {
        Model mlp = model(MLP);
        TaskOffer offer = fitOffer(1, MLP, mlp);
        TaskOffer otherStrategy = new TaskOffer(offer.taskId(), offer.kind(), 1, offer.layout(), offer.modelBytes(),
                "dp-fedavg", offer.modelSpec(), FIT);
        assertTrue(site.review(offer).accepted());
        assertFalse(site.review(otherStrategy).accepted());
        assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(1, SITE, mlp.init(1), FIT)));
    }

    @Test
    void anApprovalIsUsedOnce() {
        Model mlp = model(MLP);
        FitTask task = new FitTask(1, SITE, mlp.init(1), FIT);
        assertTrue(site.review(fitOffer(1, MLP, mlp)).accepted());
        site.fit(task);
        assertThrows(IllegalStateException.class, () -> site.fit(task));
    }

    @Test
    void approvedSpecWhoseModelDoesNotMatchTheOfferedLayoutIsRefused() {
        Model logistic = model(ModelSpec.logistic());
        TaskOffer mismatched = fitOffer(1, MLP, logistic);
        PolicyDecision d = site.review(mismatched);
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("is not the model spec") && d.reason().contains("4 inputs and 2 classes"),
                d.reason());
        assertTrue(site.approvedSpec(mismatched.taskId()).isEmpty());
    }

    @Test
    void errorWhileReviewingIsARefusal() {
        PolicyDecision d = site.review(null);
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("could not review"), d.reason());
    }

    @Test
    void taskAddressedToAnotherSiteIsNotRun() {
        Model mlp = model(MLP);
        assertTrue(site.review(fitOffer(1, MLP, mlp)).accepted());
        var e = assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(1, "va", mlp.init(1), FIT)));
        assertTrue(e.getMessage().contains("addressed to site 'va'"), e.getMessage());
    }
}
