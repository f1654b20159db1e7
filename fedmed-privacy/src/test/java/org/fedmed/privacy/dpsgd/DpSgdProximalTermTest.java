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

/** DP-SGD adds FedProx's proximal term to its clipped, noised gradient; mu = 0 trains bit for bit as no term. */
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
