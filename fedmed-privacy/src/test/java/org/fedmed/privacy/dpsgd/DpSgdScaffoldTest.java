package org.fedmed.privacy.dpsgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

/**
 * A DP-SGD site trains a SCAFFOLD fit: the correction c - c_i is added after clipping and noise, Delta c is computed
 * from the DP-trained model, and the fit costs what the same steps without the correction cost.
 */
class DpSgdScaffoldTest {

    /** The first draws of the noise stream of a site seeded 11 for a fit seeded 7. */
    static final double[] NOISE_11_7 = {-1.1145930496886125, 0.9410283643830029, -0.26421704582161504,
        -0.6210192929547803, -0.15528593243241404, -0.7984685818633263};
    static final float[] C = {0.1f, -0.2f, 0.3f};
    static final DpSgdConfig DP = new DpSgdConfig(0.8, 0.5, BatchSampling.SHUFFLE, 1e-5, Double.POSITIVE_INFINITY);

    static DpSgdSiteClient site() {
        return new DpSgdSiteClient("clinic", DpSgdProximalTermTest.LOGISTIC, DpSgdProximalTermTest.TINY,
                DpSgdProximalTermTest.TINY, 1.0, DP, NoiseSource.seeded(11));
    }

    static FitTask task(List<LocalTerm> terms) {
        var layout = DpSgdProximalTermTest.LOGISTIC.layout();
        FitConfig fit = new FitConfig(LocalWork.steps(2), 3, 0.5, false, 7).withTerms(terms);
        return new FitTask(1, "clinic", ModelParameters.ofFlat(layout, DpSgdProximalTermTest.GLOBAL.clone()), fit,
                Map.of(LocalTerm.ControlVariates.SERVER_CONTROL, ModelParameters.ofFlat(layout, C.clone())));
    }

    /**
     * Two full-batch DP-SGD steps of the site's first SCAFFOLD fit (c_i = 0, so the correction is c), C = 0.8,
     * z = 0.5 (sd 0.4), lr 0.5, c = [0.1, -0.2, 0.3], worked out by hand as in {@link DpSgdProximalTermTest}:
     * <pre>
     * step 1: g~(w0) = [-0.480504535, 0.128706860, -0.139980982] (row 1 clipped)
     *   w1 = w0 - lr (g~(w0) + c) = [0.390252267, -0.064353430, -0.030009509]
     * step 2: g~(w1) = [-0.395076316, -0.026012721, -0.233362605] (row 1 clipped)
     *   w2 = w1 - lr (g~(w1) + c) = [0.537790425, 0.048652930, -0.063328206]
     * Delta c = c_i+ - c_i = -c + (w0 - w2) / (K lr), K = 2
     *         = [-0.437790425, 0.051347070, -0.186671794] = (g~(w0) + g~(w1)) / 2, the mean of the released noisy
     *           gradients: nothing the update does not already say
     * </pre>
     */
    @Test
    void twoClippedNoisedStepsWithTheCorrectionEqualTheHandComputationAndDeltaCIsTheirMean() {
        var stream = NoiseSource.seeded(11).stream(7);
        for (double draw : NOISE_11_7) {
            assertEquals(draw, stream.nextGaussian(), 0.0, "the noise stream the hand computation used");
        }
        DpSgdSiteClient site = site();
        FitResult r = site.fit(task(List.of(new LocalTerm.ControlVariates())));
        double[] w2 = {0.537790425, 0.048652930, -0.063328206};
        double[] deltaC = {-0.437790425, 0.051347070, -0.186671794};
        float[] sent = r.parameters().flat();
        float[] dc = r.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA).flat();
        for (int i = 0; i < 3; i++) {
            assertEquals(w2[i], sent[i], 1e-6, "parameter " + i);
            assertEquals(deltaC[i], dc[i], 1e-6, "Delta c " + i);
            // the server could compute Delta c from the update it receives: post-processing
            assertEquals((DpSgdProximalTermTest.GLOBAL[i] - (double) sent[i]) / (2 * 0.5) - C[i], dc[i], 1e-6,
                    "Delta c " + i + " from the update");
        }
        assertArrayEquals(dc, site.controlVariate(), "c_i moved from 0 by Delta c");
        double epsilon = new RdpAccountant().step(1.0, 0.5, 2).epsilon(1e-5).epsilon();
        assertEquals(epsilon, r.trainMetrics().get("dp_epsilon"), 0.0, "two steps at q = 1, z = 0.5");
    }

    @Test
    void theCorrectionCostsNoPrivacyTheSameStepsWithoutItSpendTheSameEpsilon() {
        DpSgdSiteClient scaffold = site();
        DpSgdSiteClient plain = site();
        double withCorrection = scaffold.fit(task(List.of(new LocalTerm.ControlVariates()))).trainMetrics().get("dp_epsilon");
        double without = plain.fit(task(List.of())).trainMetrics().get("dp_epsilon");
        assertEquals(without, withCorrection, 0.0);
        assertEquals(plain.accountant().steps(), scaffold.accountant().steps());
    }
}
