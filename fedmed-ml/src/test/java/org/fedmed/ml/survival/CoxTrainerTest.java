package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.ml.TrainingResult;
import org.junit.jupiter.api.Test;

class CoxTrainerTest {

    private static final double[] BETA = {0.8, -0.5, 0.0};

    private static FitConfig epochs(int e, int batch, double lr, long seed, LocalTerm... terms) {
        return new FitConfig(LocalWork.epochs(e), batch, lr, false, seed, List.of(terms));
    }

    private static double gradientNorm(CoxModel model, float[] beta, SurvivalData data) {
        int[] rows = new int[data.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        float[] g = new float[beta.length];
        model.lossAndGradient(beta, data, rows, 0, rows.length, g, model.newWorkspace(rows.length));
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void fullBatchBreslowDescentReachesAStationaryPointNearTheTrueCoefficients() {
        SurvivalData data = SurvivalFixtures.cox(2000, BETA, 3.0, 100, 21);
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        ModelParameters start = model.init();
        double before = model.loss(start.flat(), data);
        CoxTrainer.Fitted fit = CoxTrainer.fit(model, start, data, epochs(300, Integer.MAX_VALUE, 1.0, 1),
                new BatchCursor());
        float[] beta = fit.parameters().flat();
        assertEquals(300, fit.training().steps());
        assertTrue(model.loss(beta, data) < before - 0.05, "loss " + before + " -> " + model.loss(beta, data));
        assertTrue(gradientNorm(model, beta, data) < 1e-4, "gradient norm " + gradientNorm(model, beta, data));
        for (int c = 0; c < 3; c++) {
            assertEquals(BETA[c], beta[c], 0.12, "coefficient " + c);
        }
        assertArrayEquals(new float[3], start.flat(), "the global model is not changed");
    }

    @Test
    void miniBatchFlambyTrainingWithAdamImprovesTheConcordance() {
        SurvivalData data = SurvivalFixtures.cox(400, BETA, 3.0, 10, 22);
        CoxModel model = new CoxModel(CoxSpec.flamby().withOptimizer(OptimizerSpec.adam()), 3);
        CoxTrainer.Fitted fit = CoxTrainer.fit(model, model.init(), data, epochs(5, 8, 0.01, 3), new BatchCursor());
        double c = ConcordanceIndex.counts(model, fit.parameters().flat(), data).cIndex();
        assertTrue(c > 0.68, "C-index " + c);
        assertEquals(5 * 50, fit.training().steps());
    }

    @Test
    void theSameSeedGivesBitIdenticalCoefficientsAndAnotherSeedOthers() {
        SurvivalData data = SurvivalFixtures.cox(300, BETA, 3.0, 10, 23);
        CoxModel model = new CoxModel(CoxSpec.flamby(), 3);
        float[] a = CoxTrainer.fit(model, model.init(), data, epochs(2, 8, 0.05, 9), new BatchCursor())
                .parameters().flat();
        float[] b = CoxTrainer.fit(model, model.init(), data, epochs(2, 8, 0.05, 9), new BatchCursor())
                .parameters().flat();
        float[] c = CoxTrainer.fit(model, model.init(), data, epochs(2, 8, 0.05, 10), new BatchCursor())
                .parameters().flat();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void stepsSplitOverTwoFitsContinueTheCursorAsOneLongerFitDoes() {
        SurvivalData data = SurvivalFixtures.cox(100, BETA, 3.0, 10, 24);
        CoxModel model = new CoxModel(CoxSpec.flamby(), 3);
        FitConfig steps7 = new FitConfig(LocalWork.steps(7), 8, 0.05, false, 5);
        FitConfig steps14 = steps7.withWork(LocalWork.steps(14));
        float[] once = model.init().copyFlat();
        CoxTrainer.train(model, once, data, steps14, new BatchCursor());
        float[] twice = model.init().copyFlat();
        BatchCursor cursor = new BatchCursor();
        CoxTrainer.train(model, twice, data, steps7, cursor);
        CoxTrainer.train(model, twice, data, steps7.withSeed(99), cursor);
        assertArrayEquals(once, twice);
    }

    @Test
    void aZeroProximalTermTrainsBitForBitAsNoneAndALargeOneKeepsTheModelNearTheGlobal() {
        SurvivalData data = SurvivalFixtures.cox(200, BETA, 3.0, 10, 25);
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        float[] plain = CoxTrainer.fit(model, model.init(), data, epochs(3, 16, 0.1, 2), new BatchCursor())
                .parameters().flat();
        float[] zero = CoxTrainer.fit(model, model.init(), data,
                epochs(3, 16, 0.1, 2, new LocalTerm.Proximal(0)), new BatchCursor()).parameters().flat();
        float[] strong = CoxTrainer.fit(model, model.init(), data,
                epochs(3, 16, 0.1, 2, new LocalTerm.Proximal(5)), new BatchCursor()).parameters().flat();
        assertArrayEquals(plain, zero);
        assertTrue(norm(strong) < 0.5 * norm(plain), norm(strong) + " vs " + norm(plain));
    }

    @Test
    void aPersonalizationIsRefusedNamingTheTerm() {
        SurvivalData data = SurvivalFixtures.cox(20, BETA, 3.0, 10, 26);
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoxTrainer.fit(model,
                model.init(), data, epochs(1, 8, 0.1, 1, new LocalTerm.Ditto(0.1)), new BatchCursor()));
        assertTrue(e.getMessage().contains("ditto"), e.getMessage());
    }

    @Test
    void aGlobalModelOfAnotherLayoutIsRefused() {
        SurvivalData data = SurvivalFixtures.cox(20, BETA, 3.0, 10, 27);
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        ModelParameters other = new CoxModel(CoxSpec.breslow(), 4).init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoxTrainer.fit(model, other, data, epochs(1, 8, 0.1, 1), new BatchCursor()));
        assertTrue(e.getMessage().contains("[1, 4]") && e.getMessage().contains("[1, 3]"), e.getMessage());
    }

    @Test
    void divergenceStopsTrainingNamingTheStep() {
        SurvivalData data = SurvivalFixtures.cox(50, BETA, 3.0, 10, 28);
        for (int i = 0; i < data.features().length; i++) {
            data.features()[i] *= 1e30f;
        }
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CoxTrainer.fit(model, model.init(), data, epochs(5, 50, 1e10, 1), new BatchCursor()));
        assertTrue(e.getMessage().contains("epoch") && e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void theReportedLossIsTheRowWeightedMeanOfTheLastEpochsBatches() {
        SurvivalData data = SurvivalFixtures.cox(30, BETA, 3.0, 10, 29);
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        float[] beta = model.init().copyFlat();
        // one full-batch step: the reported loss is the loss before the step, at beta = 0
        TrainingResult r = CoxTrainer.train(model, beta, data, epochs(1, 30, 0.1, 1), new BatchCursor());
        assertEquals(model.loss(new float[3], data), r.lastEpochLoss(), 1e-12);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
