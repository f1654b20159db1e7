package org.fedmed.deploy.site;

import static org.fedmed.deploy.site.GovernedSiteTest.DATA;
import static org.fedmed.deploy.site.GovernedSiteTest.FIT;
import static org.fedmed.deploy.site.GovernedSiteTest.SITE;
import static org.fedmed.deploy.site.GovernedSiteTest.fitOffer;
import static org.fedmed.deploy.site.GovernedSiteTest.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.dpsgd.DpSgdTrainer;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A governed site with its own DP-SGD trains with noise, keeps one privacy account, and keeps to its budget. */
class GovernedSiteDpSgdTest {

    static final ModelSpec SPEC = ModelSpec.logistic();
    static final Model MODEL = model(SPEC);
    static final double DELTA = 1e-5;

    static GovernedSite site(DpSgdSettings dp, ModelSpec... specs) {
        return new GovernedSite(DATA, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("fedavg"), List.of(specs), 10, 10_000)), dp);
    }

    static GovernedSite site(Double maxEpsilon) {
        return site(new DpSgdSettings(1.0, 1.1, DELTA, maxEpsilon, 42L), SPEC);
    }

    /** The epsilon a fresh account shows after {@code fits} fits of {@link GovernedSiteTest#FIT} on the site's rows. */
    static double epsilonAfter(int fits) {
        int rows = DATA.site().train().rows();
        return new RdpAccountant().step(DpSgdTrainer.samplingRateFor(rows, FIT.batchSize()), 1.1,
                fits * DpSgdTrainer.stepsFor(rows, FIT.work(), FIT.batchSize())).epsilon(DELTA).epsilon();
    }

    static FitResult fit(GovernedSite site, int round) {
        assertTrue(site.review(fitOffer(round, SPEC, MODEL)).accepted());
        return site.fit(new FitTask(round, SITE, MODEL.init(5), FIT));
    }

    @Test
    void dpSiteTrainsWithNoiseIntoFiniteParametersUnlikeThePlainSite() {
        FitResult dp = fit(site((Double) null), 1);
        FitTask task = new FitTask(1, SITE, MODEL.init(5), FIT);
        FitResult plain = new TrainingSiteClient(SITE, MODEL, DATA.site().train(), DATA.site().test(), 0.9).fit(task);
        float[] p = dp.parameters().flat();
        assertFalse(Arrays.equals(plain.parameters().flat(), p));
        for (float v : p) {
            assertTrue(Float.isFinite(v), Arrays.toString(p));
        }
        assertEquals(MODEL.layout(), dp.parameters().layout());
        assertTrue(dp.trainMetrics().containsKey("dp_epsilon"), dp.trainMetrics().toString());
    }

    @Test
    void seededNoiseIsReproducible() {
        assertArrayEquals(fit(site((Double) null), 1).parameters().flat(),
                fit(site((Double) null), 1).parameters().flat());
    }

    @Test
    void epsilonSpentGrowsWithEachFitOverOneAccount() {
        GovernedSite site = site((Double) null);
        assertEquals(0.0, site.epsilonSpent().orElseThrow());
        fit(site, 1);
        double first = site.epsilonSpent().orElseThrow();
        fit(site, 2);
        double second = site.epsilonSpent().orElseThrow();
        assertEquals(epsilonAfter(1), first, 1e-12);
        assertEquals(epsilonAfter(2), second, 1e-12);
        assertTrue(second > first && first > 0, first + " then " + second);
    }

    @Test
    void siteWithoutDpSgdSpendsNoEpsilon() {
        assertTrue(new GovernedSite(DATA, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT), List.of("fedavg"),
                List.of(SPEC), 10, 10_000))).epsilonSpent().isEmpty());
    }

    @Test
    void fitIsRefusedOnceTheBudgetIsSpentButEvaluationStillRuns() {
        GovernedSite site = site(epsilonAfter(1));
        fit(site, 1);
        PolicyDecision d = site.review(fitOffer(2, SPEC, MODEL));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("privacy budget: epsilon spent ") && d.reason().contains("of max ")
                && d.reason().contains("this site takes no more fit tasks"), d.reason());
        assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(2, SITE, MODEL.init(5), FIT)));

        EvalTask eval = new EvalTask(2, SITE, MODEL.init(5));
        assertTrue(site.review(new TaskOffer(eval.taskId(), TaskKind.EVALUATE, 2, MODEL.layout(),
                4L * MODEL.parameterCount(), "fedavg", SPEC.toJson(), null)).accepted());
        assertEquals(20, site.evaluate(eval).numExamples());
    }

    @Test
    void fitThatWouldOverspendTheBudgetIsRefusedBeforeItRuns() {
        GovernedSite site = site((epsilonAfter(1) + epsilonAfter(2)) / 2);
        fit(site, 1);
        double spent = site.epsilonSpent().orElseThrow();
        PolicyDecision d = site.review(fitOffer(2, SPEC, MODEL));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("privacy budget: this fit (2 local epochs, batch size 8) would take"),
                d.reason());
        assertEquals(spent, site.epsilonSpent().orElseThrow());
    }

    @Test
    void aStepsFitIsChargedItsStepsAndOneOverTheBudgetIsRefusedNamingTheSteps() {
        int rows = DATA.site().train().rows();
        double q = DpSgdTrainer.samplingRateFor(rows, 8);
        double fiftySteps = new RdpAccountant().step(q, 1.1, 50).epsilon(DELTA).epsilon();
        double hundredSteps = new RdpAccountant().step(q, 1.1, 100).epsilon(DELTA).epsilon();
        GovernedSite site = site((fiftySteps + hundredSteps) / 2);
        FitConfig steps = FIT.withWork(LocalWork.steps(50));
        FitTask task = new FitTask(1, SITE, MODEL.init(5), steps);
        TaskOffer first = new TaskOffer(task.taskId(), TaskKind.FIT, 1, MODEL.layout(), 4L * MODEL.parameterCount(),
                "fedavg", SPEC.toJson(), steps);
        assertTrue(site.review(first).accepted());
        site.fit(task);
        assertEquals(fiftySteps, site.epsilonSpent().orElseThrow(), 1e-12);
        TaskOffer second = new TaskOffer(new FitTask(2, SITE, MODEL.init(5), steps).taskId(), TaskKind.FIT, 2, MODEL.layout(), 4L * MODEL.parameterCount(),
                "fedavg", SPEC.toJson(), steps.withSeed(12));
        PolicyDecision d = site.review(second);
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("privacy budget: this fit (50 local steps, batch size 8) would take"), d.reason());
    }

    @Test
    void aDittoFitIsChargedBothTrainingsAtReviewSoOneOnlyTheSecondWouldOverspendIsRefusedThere() {
        int rows = DATA.site().train().rows();
        double q = DpSgdTrainer.samplingRateFor(rows, 8);
        double fiftySteps = new RdpAccountant().step(q, 1.1, 50).epsilon(DELTA).epsilon();
        double hundredSteps = new RdpAccountant().step(q, 1.1, 100).epsilon(DELTA).epsilon();
        GovernedSite site = site((fiftySteps + hundredSteps) / 2);
        FitConfig plain = FIT.withWork(LocalWork.steps(50));
        FitConfig ditto = plain.withTerms(List.of(new org.fedmed.core.LocalTerm.Ditto(0.5)));
        TaskOffer plainOffer = new TaskOffer(new FitTask(1, SITE, MODEL.init(5), plain).taskId(), TaskKind.FIT, 1,
                MODEL.layout(), 4L * MODEL.parameterCount(), "fedavg", SPEC.toJson(), plain);
        assertTrue(site.review(plainOffer).accepted(), "50 steps fit the budget");
        TaskOffer dittoOffer = new TaskOffer(new FitTask(1, SITE, MODEL.init(5), ditto).taskId(), TaskKind.FIT, 1,
                MODEL.layout(), 4L * MODEL.parameterCount(), "fedavg", SPEC.toJson(), ditto);
        PolicyDecision d = site.review(dittoOffer);
        assertFalse(d.accepted(), "Ditto's two trainings of 50 steps are 100 steps");
        assertTrue(d.reason().startsWith("privacy budget: this fit (50 local steps, batch size 8) would take"),
                d.reason());
        assertTrue(d.reason().contains(String.format(java.util.Locale.ROOT, "%.4g", hundredSteps)), d.reason());
    }

    @Test
    void dpSgdWithTwoModelSpecsIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> site(new DpSgdSettings(1.0, 1.1, DELTA, null, null), SPEC, GovernedSiteTest.MLP));
        assertTrue(e.getMessage().contains("site 'cleveland'") && e.getMessage().contains("'privacy.dp_sgd'")
                && e.getMessage().contains("'allow.model_specs', got 2"), e.getMessage());
    }

    @Test
    void eachDpFitLogsTheEpsilonSpent() {
        List<String> lines = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(GovernedSite.class.getName());
        logger.addHandler(handler);
        try {
            fit(site((Double) null), 3);
        } finally {
            logger.removeHandler(handler);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("site 'cleveland': epsilon spent ")
                && l.endsWith("(delta 1.0E-5) after round 3")), lines.toString());
    }
}
