package org.fedmed.ml.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedmed.ml.OptimizerSpec;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    private static final double TOL = 1e-6;

    @Test
    void plainSgdStepsAgainstTheGradient() {
        Optimizer sgd = new Sgd(2, 0);
        float[] p = {1, -2};
        sgd.step(p, new float[] {0.5f, -1}, 0.1);
        assertEquals(0.95, p[0], TOL);
        assertEquals(-1.9, p[1], TOL);
    }

    @Test
    void sgdMomentumAccumulatesVelocityOverTwoSteps() {
        Optimizer sgd = new Sgd(1, 0.9);
        float[] p = {1};
        sgd.step(p, new float[] {0.5f}, 0.1);    // v = 0.5, p = 1 - 0.05
        assertEquals(0.95, p[0], TOL);
        sgd.step(p, new float[] {0.5f}, 0.1);    // v = 0.9 * 0.5 + 0.5 = 0.95, p = 0.95 - 0.095
        assertEquals(0.855, p[0], TOL);
    }

    @Test
    void adamFirstStepMovesByLearningRateTimesSignOfGradient() {
        Optimizer adam = new Adam(2, 0.9, 0.999, 1e-8);
        float[] p = {1, 1};
        adam.step(p, new float[] {0.5f, -3}, 0.1);  // m_hat = g, v_hat = g^2
        assertEquals(0.9, p[0], TOL);
        assertEquals(1.1, p[1], TOL);
    }

    @Test
    void adamSecondStepUsesBiasCorrectedMoments() {
        Optimizer adam = new Adam(1, 0.9, 0.999, 1e-8);
        float[] p = {1};
        adam.step(p, new float[] {0.5f}, 0.1);
        adam.step(p, new float[] {-0.25f}, 0.1);
        // m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02;          m_hat = 0.02 / (1 - 0.81)      = 0.1052632
        // v = 0.999 * 0.00025 + 0.001 * 0.0625 = 3.1225e-4; v_hat = 3.1225e-4 / 0.001999 = 0.1562031
        // p = 0.9 - 0.1 * 0.1052632 / (sqrt(0.1562031) + 1e-8) = 0.9 - 0.0266337
        double m = 0.02 / (1 - 0.81);
        double v = 3.1225e-4 / (1 - 0.999 * 0.999);
        assertEquals(0.9 - 0.1 * m / (Math.sqrt(v) + 1e-8), p[0], TOL);
        assertEquals(0.8733663, p[0], TOL);
    }

    @Test
    void specsBuildTheMatchingOptimizer() {
        assertTrue(Optimizers.create(OptimizerSpec.sgd(), 3) instanceof Sgd);
        assertTrue(Optimizers.create(OptimizerSpec.adam(), 3) instanceof Adam);
    }

    @Test
    void optimizerRejectsVectorsOfTheWrongLength() {
        Optimizer adam = Optimizers.create(OptimizerSpec.adam(), 3);
        assertThrows(IllegalArgumentException.class, () -> adam.step(new float[2], new float[2], 0.1));
    }
}
