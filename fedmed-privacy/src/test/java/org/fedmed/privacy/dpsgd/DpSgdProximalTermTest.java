package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.junit.jupiter.api.Test;

/**
 * DP-SGD adds FedProx's proximal term to its clipped, noised gradient (a hand-computed case with clipping and
 * noise); mu = 0 trains bit for bit as no term.
 */
class DpSgdProximalTermTest {

    static final LabeledData TINY = new LabeledData(new float[] {1f, 2f, -1f, 0.5f, 0.5f, -1f},
            new float[] {1f, 0f, 1f}, 3, 2, 2, List.of("x1", "x2"));
    static final float[] GLOBAL = {0.2f, -0.1f, 0.05f};
    static final Model LOGISTIC = Models.build(ModelSpec.logistic(), 2, 2);

    @Test
    void withoutNoiseOrClippingTwoStepsEqualTheHandComputedFedProxUpdate() {
        // a clip norm no example reaches and no noise: DP-SGD's gradient is the plain mean gradient, so the two
        // full-batch steps are those worked out in fedmed-ml's ProximalTermTest (lr 0.5, mu 0.8):
        // w1 = [0.392763393, -0.047983549, 0.129193350]; w2 = w1 - lr (g(w1) + mu (w1 - w0))
        double[] expected = {0.486912363, -0.040758982, 0.159876829};
        DpSgdConfig noNoise = new DpSgdConfig(1e6, 0, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);
        FitConfig fit = new FitConfig(LocalWork.steps(2), 3, 0.5, false, 7)
                .withTerms(List.of(new LocalTerm.Proximal(0.8)));
        float[] params = GLOBAL.clone();
        DpSgdTrainer.train(LOGISTIC, params, TINY, fit, noNoise);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], params[i], 1e-6, "parameter " + i);
        }
    }

    /** The first draws of the noise stream of a fit seeded 7 ({@code NoiseSource.seeded(7).stream(7)}). */
    static final double[] NOISE_7 = {-0.5375582078755853, -0.17626865205526498, -0.11047901274947759,
        0.9005131651867383, -0.3387208255409583, -1.0592368266120151};

    /**
     * Two full-batch DP-SGD steps with the proximal term, clip norm C = 0.8, z = 0.5 (sd 0.4), lr 0.5, mu 0.8, worked
     * out by hand (r_i = sigma(w . x_i + b) - y_i, per-example gradient r_i [x_i1, x_i2, 1]):
     * <pre>
     * at w0 the per-example norms are 1.19413, 0.67525, 0.65674: row 1 is clipped to 0.8, the others are not
     * g~(w) = (sum_i clip(g_i(w), C) + 0.4 n) / 3, n the stream's next three draws
     * step 1: the term is 0 at w0; g~(w0) = [-0.403566556, -0.020266075, -0.119482578]
     *   w1 = w0 - lr g~(w0) = [0.401783278, -0.089866962, 0.109741289]
     * step 2: g~(w1) = [-0.194511282, -0.059740391, -0.244980416]
     *   mu (w1 - w0) = [0.161426622, 0.008106430, 0.047793031], added after the noise
     *   w2 = w1 - lr (g~(w1) + mu (w1 - w0)) = [0.418325608, -0.064049982, 0.208334981]
     * without the term w2 would be [0.499038919, -0.059996767, 0.232231497]
     * </pre>
     */
    @Test
    void twoClippedNoisedStepsWithTheProximalTermEqualTheHandComputation() {
        var stream = org.fedmed.privacy.NoiseSource.seeded(7).stream(7);
        for (double draw : NOISE_7) {
            assertEquals(draw, stream.nextGaussian(), 0.0, "the noise stream the hand computation used");
        }
        DpSgdConfig dp = new DpSgdConfig(0.8, 0.5, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);
        FitConfig plain = new FitConfig(LocalWork.steps(2), 3, 0.5, false, 7);
        float[] withTerm = GLOBAL.clone();
        DpSgdResult r = DpSgdTrainer.train(LOGISTIC, withTerm, TINY, plain.withTerms(List.of(new LocalTerm.Proximal(0.8))), dp);
        float[] without = GLOBAL.clone();
        DpSgdTrainer.train(LOGISTIC, without, TINY, plain, dp);
        double[] expected = {0.418325608, -0.064049982, 0.208334981};
        double[] expectedWithout = {0.499038919, -0.059996767, 0.232231497};
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], withTerm[i], 1e-6, "parameter " + i + " with the term");
            assertEquals(expectedWithout[i], without[i], 1e-6, "parameter " + i + " without the term");
        }
        assertEquals(2, r.steps());
        assertEquals(1.0, r.samplingRate());
        assertEquals(2.0 / 6, r.clippedFraction(), 1e-12, "row 1 is clipped at both steps, rows 2 and 3 at neither");
    }

    @Test
    void muZeroTrainsBitForBitAsNoTermWithNoiseAndBothSamplings() {
        LabeledData data = Blobs.of(80, 3, 4);
        Model model = Models.build(ModelSpec.mlp(4), 3, 2);
        for (BatchSampling sampling : BatchSampling.values()) {
            DpSgdConfig dp = new DpSgdConfig(1.0, 1.1, sampling, 1e-5, Double.POSITIVE_INFINITY);
            for (LocalWork work : List.of(LocalWork.epochs(2), LocalWork.steps(9))) {
                FitConfig plain = new FitConfig(work, 10, 0.1, false, 21);
                float[] a = model.init(3).copyFlat();
                float[] b = a.clone();
                float[] c = a.clone();
                DpSgdResult ra = DpSgdTrainer.train(model, a, data, plain, dp);
                DpSgdResult rb = DpSgdTrainer.train(model, b, data, plain.withTerms(List.of(new LocalTerm.Proximal(0))), dp);
                DpSgdTrainer.train(model, c, data, plain.withTerms(List.of(new LocalTerm.Proximal(0.5))), dp);
                String what = sampling + ", " + work.describe();
                assertArrayEquals(a, b, what);
                assertEquals(ra, rb, what);
                assertFalse(Arrays.equals(a, c), what + ": mu 0.5 changes the update");
            }
        }
    }
}
