package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.junit.jupiter.api.Test;

/** FedProx's proximal term in the site trainer: the published update on a hand-computed case, and mu = 0 as FedAvg. */
class ProximalTermTest {

    /** Two features, three rows, binary labels: logistic regression with one logit, w = [w1, w2], bias b. */
    static final LabeledData TINY = new LabeledData(new float[] {1f, 2f, -1f, 0.5f, 0.5f, -1f},
            new float[] {1f, 0f, 1f}, 3, 2, 2, List.of("x1", "x2"));
    /** The global model [w1, w2, b] the fit starts from. */
    static final float[] GLOBAL = {0.2f, -0.1f, 0.05f};
    static final double LR = 0.5;
    static final double MU = 0.8;

    static final Model LOGISTIC = Models.build(ModelSpec.logistic(), 2, 2);

    /**
     * Full-batch SGD on mean binary cross-entropy, worked out by hand (sigma = logistic function):
     * <pre>
     * g(w) = 1/3 sum_i (sigma(w . x_i + b) - y_i) [x_i1, x_i2, 1]
     * step 1: w = w_global, so mu (w - w_global) = 0:
     *   g(w0) = [-0.385526785, -0.104032902, -0.158386700]
     *   w1 = w0 - lr g(w0) = [0.392763393, -0.047983549, 0.129193350]
     * step 2: g(w1) = [-0.342508654, -0.056062295, -0.124721638]
     *   mu (w1 - w0) = 0.8 [0.192763393, 0.052016451, 0.079193350] = [0.154210714, 0.041613161, 0.063354680]
     *   w2 = w1 - lr (g(w1) + mu (w1 - w0)) = [0.486912363, -0.040758982, 0.159876829]
     * without the term step 2 would give [0.564017720, -0.019952401, 0.191554169]
     * </pre>
     */
    static final double[] FEDPROX_TWO_STEPS = {0.486912363, -0.040758982, 0.159876829};
    static final double[] FEDAVG_TWO_STEPS = {0.564017720, -0.019952401, 0.191554169};

    static FitConfig fit(LocalWork work, List<LocalTerm> terms) {
        return new FitConfig(work, 3, LR, false, 7).withTerms(terms);
    }

    static float[] train(FitConfig config) {
        float[] params = GLOBAL.clone();
        Trainer.train(LOGISTIC, params, TINY, config);
        return params;
    }

    static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "parameter " + i);
        }
    }

    @Test
    void twoFullBatchStepsWithMuEqualTheHandComputedFedProxUpdate() {
        assertEquals(3, LOGISTIC.parameterCount());
        assertClose(FEDPROX_TWO_STEPS, train(fit(LocalWork.steps(2), List.of(new LocalTerm.Proximal(MU)))));
        assertClose(FEDAVG_TWO_STEPS, train(fit(LocalWork.steps(2), List.of())));
    }

    @Test
    void twoEpochsOfOneFullBatchApplyTheTermAsTwoStepsDo() {
        assertClose(FEDPROX_TWO_STEPS, train(fit(LocalWork.epochs(2), List.of(new LocalTerm.Proximal(MU)))));
    }

    @Test
    void theFirstStepIsUnchangedBecauseTheTermIsZeroAtTheGlobalModel() {
        float[] withTerm = train(fit(LocalWork.steps(1), List.of(new LocalTerm.Proximal(MU))));
        assertArrayEquals(train(fit(LocalWork.steps(1), List.of())), withTerm);
        assertClose(new double[] {0.392763393, -0.047983549, 0.129193350}, withTerm);
    }

    @Test
    void muZeroTrainsBitForBitAsNoTerm() {
        LabeledData data = SyntheticData.blobs(90, 4, 2, 3);
        Model mlp = Models.build(ModelSpec.mlp(6).withDropout(0.2).withOptimizer(OptimizerSpec.adam()), 4, 2);
        for (LocalWork work : List.of(LocalWork.epochs(3), LocalWork.steps(17))) {
            FitConfig plain = new FitConfig(work, 8, 0.01, false, 5);
            float[] a = mlp.init(2).copyFlat();
            float[] b = a.clone();
            TrainingResult ra = Trainer.train(mlp, a, data, plain);
            TrainingResult rb = Trainer.train(mlp, b, data, plain.withTerms(List.of(new LocalTerm.Proximal(0))));
            assertArrayEquals(a, b, work.describe());
            assertEquals(ra, rb, work.describe());
        }
    }

    @Test
    void theTermKeepsLocalModelsCloserToTheGlobalModel() {
        LabeledData data = SyntheticData.blobs(120, 4, 2, 8);
        ModelParameters global = LOGISTIC_4.init(1);
        double plain = drift(global, data, 0);
        double prox = drift(global, data, 1.0);
        assertTrue(prox < plain, "drift with mu = 1: " + prox + ", without: " + plain);
    }

    static final Model LOGISTIC_4 = Models.build(ModelSpec.logistic(), 4, 2);

    /** ||w_local - w_global|| after a site client's fit of 5 epochs with the given mu. */
    static double drift(ModelParameters global, LabeledData data, double mu) {
        TrainingSiteClient site = new TrainingSiteClient("a", LOGISTIC_4, data, data, 1);
        FitConfig config = new FitConfig(5, 16, 0.2, true, 3).withTerms(List.of(new LocalTerm.Proximal(mu)));
        FitResult r = site.fit(new FitTask(1, "a", global, config));
        double sum = 0;
        for (float d : r.parameters().flat()) {
            sum += (double) d * d;
        }
        return Math.sqrt(sum);
    }
}
