package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedmed.core.L2Clip;
import org.fedmed.core.LabeledData;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class DpSgdTrainerTest {

    private static final LabeledData DATA = Blobs.of(120, 5, 1);

    private static Model mlp() {
        return Models.build(ModelSpec.mlp(8).withL2(1e-3), 5, 2);
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    @Test
    void eachClippedExampleGradientAndTheirMeanStayWithinTheClipNorm() {
        Model model = mlp();
        float[] params = model.init(3).copyFlat();
        double clip = 0.01;
        PrivateGradient gradient = new PrivateGradient(model, clip, 0);
        float[] grad = new float[params.length];
        int[] rows = identity(DATA.rows());
        for (int r = 0; r < 30; r++) {
            gradient.compute(params, DATA, rows, r, 1, 1, null, null, grad);
            assertTrue(L2Clip.norm(grad) <= clip, "row " + r + ": " + L2Clip.norm(grad));
        }
        gradient.compute(params, DATA, rows, 0, 40, 40, null, null, grad);
        assertTrue(L2Clip.norm(grad) <= clip);
        assertEquals(40, gradient.lastClipped(), "every unclipped gradient here is longer than " + clip);

        float[] unclipped = new float[params.length];
        model.lossAndGradient(params, DATA, rows, 0, 1, unclipped, model.newWorkspace(1), null);
        assertTrue(L2Clip.norm(unclipped) > 10 * clip, "the bound must bind for this test to mean anything");
    }

    @Test
    void withoutNoiseAndWithAHugeClipTheGradientIsTheOrdinaryMiniBatchGradient() {
        Model model = mlp();
        float[] params = model.init(5).copyFlat();
        int[] rows = identity(DATA.rows());
        float[] ordinary = new float[params.length];
        double loss = model.lossAndGradient(params, DATA, rows, 10, 32, ordinary, model.newWorkspace(32), null);
        PrivateGradient gradient = new PrivateGradient(model, 1e9, 0);
        float[] dp = new float[params.length];
        gradient.compute(params, DATA, rows, 10, 32, 32, null, null, dp);
        assertArrayEquals(ordinary, dp, 1e-5f);
        assertEquals(loss * 32, gradient.lastLossSum(), 1e-4);
        assertEquals(0, gradient.lastClipped());
    }

    @Test
    void withoutNoiseAndWithAHugeClipTrainingFollowsOrdinaryFullBatchGradientDescent() {
        Model model = mlp();
        float[] expected = model.init(2).copyFlat();
        float[] grad = new float[expected.length];
        Model.Workspace ws = model.newWorkspace(DATA.rows());
        for (int step = 0; step < 3; step++) {
            model.lossAndGradient(expected, DATA, identity(DATA.rows()), 0, DATA.rows(), grad, ws, null);
            for (int i = 0; i < expected.length; i++) {
                expected[i] -= 0.1f * grad[i];
            }
        }
        float[] params = model.init(2).copyFlat();
        DpSgdConfig noClip = new DpSgdConfig(1e9, 0, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);
        DpSgdResult result = DpSgdTrainer.train(model, params, DATA, 3, DATA.rows(), 0.1, 7, noClip,
                NoiseSource.seeded(1));
        assertArrayEquals(expected, params, 1e-5f);
        assertEquals(3, result.steps());
        assertEquals(1.0, result.samplingRate());
    }

    @Test
    void noiseHasStandardDeviationZTimesClipOverTheBatchSize() {
        Model model = mlp();
        float[] params = model.init(1).copyFlat();
        int[] rows = identity(DATA.rows());
        float[] clean = new float[params.length];
        new PrivateGradient(model, 0.5, 0).compute(params, DATA, rows, 0, 20, 20, null, null, clean);
        PrivateGradient noisy = new PrivateGradient(model, 0.5, 2.0);
        SplittableRandom noise = new SplittableRandom(8);
        float[] g = new float[params.length];
        double sumSq = 0;
        int draws = 0;
        for (int rep = 0; rep < 400; rep++) {
            noisy.compute(params, DATA, rows, 0, 20, 20, noise, null, g);
            for (int i = 0; i < g.length; i++) {
                double d = g[i] - clean[i];
                sumSq += d * d;
                draws++;
            }
        }
        double sd = 2.0 * 0.5 / 20;
        assertEquals(sd, Math.sqrt(sumSq / draws), 5 * sd / Math.sqrt(2.0 * draws));
    }

    @Test
    void poissonBatchesTakeEachRowWithProbabilityQ() {
        int n = 1000;
        double q = 0.03;
        int[] out = new int[n];
        SplittableRandom rng = new SplittableRandom(4);
        long total = 0;
        int steps = 300;
        for (int s = 0; s < steps; s++) {
            int count = DpSgdTrainer.poissonSample(out, n, q, rng);
            for (int k = 1; k < count; k++) {
                assertTrue(out[k] > out[k - 1], "rows are distinct and increasing");
            }
            total += count;
        }
        double expected = (double) n * steps * q;
        assertEquals(expected, total, 5 * Math.sqrt(expected * (1 - q)));
    }

    @Test
    void resultCarriesTheStepsAndRateAnAccountantNeeds() {
        Model model = mlp();
        float[] params = model.init(4).copyFlat();
        DpSgdConfig dp = DpSgdConfig.of(1.0, 1.1, 1e-5);
        DpSgdResult result = DpSgdTrainer.train(model, params, DATA, 2, 16, 0.05, 3, dp, NoiseSource.seeded(3));
        assertEquals(2 * 8, result.steps());
        assertEquals(16.0 / 120, result.samplingRate(), 1e-15);
        assertEquals(DpSgdTrainer.stepsFor(120, 2, 16), result.steps());
        assertEquals(new RdpAccountant().step(16.0 / 120, 1.1, 16).epsilon(1e-5), result.privacy(1e-5));
    }

    @Test
    void trainingIsReproducibleFromTheSeedsAndNoiseChangesIt() {
        Model model = mlp();
        DpSgdConfig dp = DpSgdConfig.of(1.0, 1.0, 1e-5);
        float[] a = model.init(4).copyFlat();
        float[] b = model.init(4).copyFlat();
        float[] c = model.init(4).copyFlat();
        DpSgdTrainer.train(model, a, DATA, 2, 16, 0.05, 3, dp, NoiseSource.seeded(9));
        DpSgdTrainer.train(model, b, DATA, 2, 16, 0.05, 3, dp, NoiseSource.seeded(9));
        DpSgdTrainer.train(model, c, DATA, 2, 16, 0.05, 3, dp, NoiseSource.seeded(10));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void noisyTrainingStillSeparatesWellSeparatedClasses() {
        LabeledData train = Blobs.of(600, 5, 2);
        LabeledData test = Blobs.of(300, 5, 3);
        Model model = Models.build(ModelSpec.logistic(), 5, 2);
        float[] params = model.init(1).copyFlat();
        DpSgdTrainer.train(model, params, train, 5, 30, 0.5, 4, DpSgdConfig.of(1.0, 1.0, 1e-5), NoiseSource.seeded(2));
        double accuracy = Blobs.accuracy(model.predict(params, test), test);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }
}
