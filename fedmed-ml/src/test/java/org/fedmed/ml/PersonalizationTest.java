package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.junit.jupiter.api.Test;

/**
 * FedPer and Ditto at a site, on the hand-computed logistic case of {@link ProximalTermTest}: three rows, two
 * features, layout {@code [dense0.weight (w1, w2), dense0.bias (b)]}, full-batch SGD at lr 0.5.
 */
class PersonalizationTest {

    static final Model LOGISTIC = ProximalTermTest.LOGISTIC;
    static final float[] GLOBAL = ProximalTermTest.GLOBAL;
    /** One full-batch step from GLOBAL, worked out in ProximalTermTest: [w1, w2, b]. */
    static final double[] ONE_STEP = {0.392763393, -0.047983549, 0.129193350};

    static TrainingSiteClient site() {
        return new TrainingSiteClient("lyon", LOGISTIC, ProximalTermTest.TINY, ProximalTermTest.TINY, 1.0);
    }

    static FitConfig fit(LocalWork work, LocalTerm... terms) {
        return new FitConfig(work, 3, ProximalTermTest.LR, false, 7).withTerms(List.of(terms));
    }

    static ModelParameters params(float... values) {
        return ModelParameters.ofFlat(LOGISTIC.layout(), values);
    }

    static float[] fitOnce(TrainingSiteClient site, int round, float[] global, FitConfig config) {
        FitResult r = site.fit(new FitTask(round, "lyon", params(global.clone()), config));
        return r.parameters().flat();
    }

    @Test
    void theLogisticLayoutIsWeightThenBias() {
        assertEquals(List.of("dense0.weight", "dense0.bias"),
                LOGISTIC.layout().entries().stream().map(e -> e.name()).toList());
    }

    @Test
    void fedPerKeepsTheTrainedHeadAtTheSiteAndReturnsTheGlobalsHeadValues() {
        TrainingSiteClient site = site();
        LocalTerm.PersonalLayers bias = new LocalTerm.PersonalLayers(List.of(1));
        // round 1: the site's head starts as the global's, so the step is the plain one; the bias it returns is the
        // global's 0.05 and it keeps the trained 0.129193350
        float[] update = fitOnce(site, 1, GLOBAL, fit(LocalWork.steps(1), bias));
        ProximalTermTest.assertClose(new double[] {ONE_STEP[0], ONE_STEP[1], GLOBAL[2]}, update);
        assertEquals(GLOBAL[2], update[2], 0.0, "the returned head is the received global's, bit for bit");
        ProximalTermTest.assertClose(ONE_STEP, site.personalParameters(params(update)));

        // round 2: the server sends the body it learned and its unchanged head (0.05); the site trains from that
        // body with its own head, which is exactly the state after step 1, so it lands on ProximalTermTest's second
        // plain step, and again returns the head it received
        float[] round2 = fitOnce(site, 2, update, fit(LocalWork.steps(1), bias));
        double[] twoSteps = ProximalTermTest.FEDAVG_TWO_STEPS;
        ProximalTermTest.assertClose(new double[] {twoSteps[0], twoSteps[1], GLOBAL[2]}, round2);
        assertEquals(update[2], round2[2], 0.0);
        ProximalTermTest.assertClose(twoSteps, site.personalParameters(params(round2)));
    }

    @Test
    void fedPerWithDeltasSendsZeroForThePersonalLayers() {
        TrainingSiteClient site = site();
        FitConfig delta = new FitConfig(LocalWork.steps(1), 3, ProximalTermTest.LR, true, 7)
                .withTerms(List.of(new LocalTerm.PersonalLayers(List.of(1))));
        FitResult r = site.fit(new FitTask(1, "lyon", params(GLOBAL.clone()), delta));
        assertEquals(0f, r.parameters().flat()[2], 0.0);
        assertEquals(ONE_STEP[0] - GLOBAL[0], r.parameters().flat()[0], 1e-6);
    }

    @Test
    void dittoReturnsThePlainUpdateAndTrainsItsPersonalModelWithTheProximalTermTowardTheRoundsGlobal() {
        TrainingSiteClient site = site();
        double lambda = ProximalTermTest.MU;
        LocalTerm.Ditto ditto = new LocalTerm.Ditto(lambda);
        // round 1: the update is plain FedAvg's, bit for bit; v starts at the global model, so its two steps are
        // FedProx's with mu = lambda, hand-computed in ProximalTermTest
        float[] update = fitOnce(site, 1, GLOBAL, fit(LocalWork.steps(2), ditto));
        float[] plain = GLOBAL.clone();
        Trainer.train(LOGISTIC, plain, ProximalTermTest.TINY, fit(LocalWork.steps(2)));
        assertArrayEquals(plain, update);
        ProximalTermTest.assertClose(ProximalTermTest.FEDAVG_TWO_STEPS, update);
        float[] v1 = site.personalParameters(params(GLOBAL.clone()));
        ProximalTermTest.assertClose(ProximalTermTest.FEDPROX_TWO_STEPS, v1);

        // round 2, one step from a new global g2: v2 = v1 - lr (grad F(v1) + lambda (v1 - g2)), where
        // v1 - lr grad F(v1) is one plain step from v1
        float[] g2 = {0.1f, 0.3f, -0.2f};
        float[] update2 = fitOnce(site, 2, g2, fit(LocalWork.steps(1), ditto));
        float[] plainFromG2 = g2.clone();
        Trainer.train(LOGISTIC, plainFromG2, ProximalTermTest.TINY, fit(LocalWork.steps(1)));
        assertArrayEquals(plainFromG2, update2);
        float[] plainFromV1 = v1.clone();
        Trainer.train(LOGISTIC, plainFromV1, ProximalTermTest.TINY, fit(LocalWork.steps(1)));
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = plainFromV1[i] - ProximalTermTest.LR * lambda * ((double) v1[i] - g2[i]);
        }
        ProximalTermTest.assertClose(expected, site.personalParameters(params(g2)));
    }

    @Test
    void evaluationReportsThePersonalModelsMetricsUnderPrefixedNamesOnceThereIsOne() {
        TrainingSiteClient site = site();
        ModelParameters global = params(GLOBAL.clone());
        Map<String, Double> before = site.evaluate(new EvalTask(1, "lyon", global)).metrics();
        assertTrue(before.keySet().stream().noneMatch(k -> k.startsWith(ClassificationMetrics.PERSONAL_PREFIX)),
                before.toString());

        site.fit(new FitTask(1, "lyon", global, fit(LocalWork.steps(2), new LocalTerm.Ditto(0.8))));
        Map<String, Double> after = site.evaluate(new EvalTask(1, "lyon", global)).metrics();
        Map<String, Double> personal = site.metrics(site.personalParameters(global));
        assertEquals(site.metrics(GLOBAL.clone()).get("log_loss"), after.get("log_loss"));
        assertEquals(personal.get("log_loss"), after.get("personal_log_loss"));
        assertEquals(personal.keySet().size() * 2, after.size());
    }

    @Test
    void aSiteRefusesAnotherPersonalizationThanTheOneItKeepsForTheRun() {
        TrainingSiteClient site = site();
        site.fit(new FitTask(1, "lyon", params(GLOBAL.clone()), fit(LocalWork.steps(1), new LocalTerm.Ditto(0.8))));
        var e = assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(2, "lyon",
                params(GLOBAL.clone()), fit(LocalWork.steps(1), new LocalTerm.PersonalLayers(List.of(1))))));
        assertTrue(e.getMessage().contains("lyon") && e.getMessage().contains("ditto v1 [0.8]")
                && e.getMessage().contains("personal_layers v1 [1.0]"), e.getMessage());
    }

    @Test
    void personalLayersNamingEveryTensorOrNoneOfTheModelAreRefusedNamingTheModelsTensors() {
        var all = assertThrows(IllegalStateException.class, () -> site().fit(new FitTask(1, "lyon",
                params(GLOBAL.clone()), fit(LocalWork.steps(1), new LocalTerm.PersonalLayers(List.of(0, 1))))));
        assertTrue(all.getMessage().contains("every tensor")
                && all.getMessage().contains("[dense0.weight, dense0.bias]"), all.getMessage());
        var past = assertThrows(IllegalStateException.class, () -> site().fit(new FitTask(1, "lyon",
                params(GLOBAL.clone()), fit(LocalWork.steps(1), new LocalTerm.PersonalLayers(List.of(5))))));
        assertTrue(past.getMessage().contains("tensor index 5"), past.getMessage());
    }

    @Test
    void aFailedPersonalizedFitLeavesNoPersonalModel() {
        TrainingSiteClient site = site();
        assertThrows(IllegalStateException.class, () -> site.fit(new FitTask(1, "lyon", params(GLOBAL.clone()),
                fit(LocalWork.steps(1), new LocalTerm.PersonalLayers(List.of(0, 1))))));
        Map<String, Double> m = site.evaluate(new EvalTask(1, "lyon", params(GLOBAL.clone()))).metrics();
        assertTrue(m.keySet().stream().noneMatch(k -> k.startsWith("personal_")), m.toString());
    }

    @Test
    void aRoundSentAgainTrainsFromThePersonalStateItFirstStartedFrom() {
        LocalTerm bias = new LocalTerm.PersonalLayers(List.of(1));
        TrainingSiteClient site = site();
        float[] round1 = fitOnce(site, 1, GLOBAL, fit(LocalWork.steps(1), bias));
        float[] round2 = fitOnce(site, 2, round1, fit(LocalWork.steps(1), bias));
        float[] head2 = site.personalParameters(params(round2));
        // the server lost round 2 (a crash before its checkpoint) and sends it again after --resume
        float[] again = fitOnce(site, 2, round1, fit(LocalWork.steps(1), bias));
        assertArrayEquals(round2, again, "the re-sent round's update is the first one's, bit for bit");
        assertArrayEquals(head2, site.personalParameters(params(again)), "and so is the personal model");
        // without the rewind the head would have trained twice: the uninterrupted run's round 3 starts from head2
        float[] round3 = fitOnce(site, 3, again, fit(LocalWork.steps(1), bias));
        TrainingSiteClient uninterrupted = site();
        fitOnce(uninterrupted, 1, GLOBAL, fit(LocalWork.steps(1), bias));
        fitOnce(uninterrupted, 2, round1, fit(LocalWork.steps(1), bias));
        assertArrayEquals(fitOnce(uninterrupted, 3, round2, fit(LocalWork.steps(1), bias)), round3);
    }

    @Test
    void aFitForAnEarlierRoundStartsANewPersonalModel() {
        LocalTerm ditto = new LocalTerm.Ditto(0.8);
        TrainingSiteClient site = site();
        fitOnce(site, 1, GLOBAL, fit(LocalWork.steps(2), ditto));
        fitOnce(site, 2, GLOBAL, fit(LocalWork.steps(2), ditto));
        fitOnce(site, 3, GLOBAL, fit(LocalWork.steps(2), ditto));
        // a new run starts at round 1: the personal model is the one a fresh site trains, not the last run's
        fitOnce(site, 1, GLOBAL, fit(LocalWork.steps(2), new LocalTerm.PersonalLayers(List.of(1))));
        TrainingSiteClient fresh = site();
        fitOnce(fresh, 1, GLOBAL, fit(LocalWork.steps(2), new LocalTerm.PersonalLayers(List.of(1))));
        assertArrayEquals(fresh.personalParameters(params(GLOBAL)), site.personalParameters(params(GLOBAL)));
    }

    @Test
    void aDittoRoundSentAgainReplaysThePersonalModelsBatchOrderToo() {
        LocalTerm ditto = new LocalTerm.Ditto(0.8);
        // one-row batches over three rows, two steps a round: round 2 starts mid-pass, round 3 in the next pass
        FitConfig steps = new FitConfig(LocalWork.steps(2), 1, ProximalTermTest.LR, false, 7).withTerms(List.of(ditto));
        TrainingSiteClient site = site();
        fitOnce(site, 1, GLOBAL, steps);
        fitOnce(site, 2, GLOBAL, steps);
        float[] v2 = site.personalParameters(params(GLOBAL));
        fitOnce(site, 2, GLOBAL, steps);
        assertArrayEquals(v2, site.personalParameters(params(GLOBAL)), "the re-sent round's personal model");
        fitOnce(site, 3, GLOBAL, steps);
        TrainingSiteClient uninterrupted = site();
        for (int round = 1; round <= 3; round++) {
            fitOnce(uninterrupted, round, GLOBAL, steps);
        }
        assertArrayEquals(uninterrupted.personalParameters(params(GLOBAL)), site.personalParameters(params(GLOBAL)));
    }
}
