package org.fedmed.ml.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedmed.ml.LossType;
import org.fedmed.core.objective.Objective;
import org.fedmed.core.objective.RegressionLoss;
import org.junit.jupiter.api.Test;

class LossesTest {

    private static final double TOL = 1e-6;

    @Test
    void binaryCrossEntropyOfLogitZeroIsLn2WithGradientHalfMinusLabel() {
        Loss bce = new BinaryCrossEntropy();
        float[] grad = new float[1];
        assertEquals(Math.log(2), bce.lossAndGradient(new float[] {0}, 0, 1, 1, grad), TOL);
        assertEquals(-0.5, grad[0], TOL);
        assertEquals(Math.log(2), bce.lossAndGradient(new float[] {0}, 0, 0, 1, grad), TOL);
        assertEquals(0.5, grad[0], TOL);
    }

    @Test
    void binaryCrossEntropyMatchesTheTextbookFormulaAndScalesTheGradient() {
        Loss bce = new BinaryCrossEntropy();
        float[] grad = new float[1];
        double loss = bce.lossAndGradient(new float[] {2}, 0, 0, 0.25f, grad);
        double p = 1 / (1 + Math.exp(-2));
        assertEquals(-Math.log(1 - p), loss, TOL);   // = ln(1 + e^2) = 2.1269280...
        assertEquals(0.25 * p, grad[0], TOL);
        assertEquals(2.1269280110429727, bce.loss(new float[] {2}, 0, 0), TOL);
    }

    @Test
    void binaryCrossEntropyStaysFiniteForHugeLogits() {
        Loss bce = new BinaryCrossEntropy();
        float[] grad = new float[1];
        assertEquals(1000, bce.lossAndGradient(new float[] {1000}, 0, 0, 1, grad), TOL);
        assertEquals(1, grad[0], TOL);
        assertEquals(0, bce.lossAndGradient(new float[] {-1000}, 0, 0, 1, grad), TOL);
        assertEquals(0, grad[0], TOL);
        assertEquals(1000, bce.loss(new float[] {-1000}, 0, 1), TOL);
    }

    @Test
    void softmaxCrossEntropyMatchesHandComputedValues() {
        Loss ce = new SoftmaxCrossEntropy(3);
        float[] z = {1, 2, 3};
        float[] grad = new float[3];
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));   // 3.4076059644...
        assertEquals(lse - 1, ce.lossAndGradient(z, 0, 0, 1, grad), TOL);
        assertEquals(0.09003057317 - 1, grad[0], TOL);
        assertEquals(0.24472847105, grad[1], TOL);
        assertEquals(0.66524095577, grad[2], TOL);
    }

    @Test
    void softmaxCrossEntropyOfEqualLogitsIsLnK() {
        Loss ce = new SoftmaxCrossEntropy(4);
        assertEquals(Math.log(4), ce.loss(new float[] {7, 7, 7, 7}, 0, 2), TOL);
    }

    @Test
    void softmaxCrossEntropyStaysFiniteForHugeLogitsAndReadsAtOffset() {
        Loss ce = new SoftmaxCrossEntropy(3);
        float[] z = {99, 99, 1000, 0, -1000};
        float[] grad = new float[5];
        assertEquals(1000, ce.lossAndGradient(z, 2, 1, 1, grad), TOL);
        assertEquals(1, grad[2], TOL);
        assertEquals(-1, grad[3], TOL);
        assertEquals(0, grad[4], TOL);
        assertEquals(0, grad[0]);
    }

    @Test
    void softmaxPredictionsSumToOneAndTwoClassesGiveOnlyTheClassOneProbability() {
        float[] p = new float[3];
        new SoftmaxCrossEntropy(3).predict(new float[] {1, 2, 3}, 0, p, 0);
        assertEquals(1, p[0] + p[1] + p[2], 1e-6);
        assertEquals(0.66524096, p[2], 1e-6);

        Loss two = new SoftmaxCrossEntropy(2);
        assertEquals(1, two.predictionWidth());
        float[] q = {-1};
        two.predict(new float[] {0, (float) Math.log(3)}, 0, q, 0);
        assertEquals(0.75, q[0], 1e-6);
    }

    @Test
    void squaredErrorIsTheSquareOfTheResidualWithGradientTwiceTheResidual() {
        Loss mse = new MeanSquaredError();
        float[] grad = new float[1];
        assertEquals(2.25, mse.lossAndGradient(new float[] {2.5f}, 0, 1, 1, grad), TOL);
        assertEquals(3, grad[0], TOL);
        float[] pred = new float[1];
        mse.predict(new float[] {2.5f}, 0, pred, 0);
        assertEquals(2.5f, pred[0]);
    }

    @Test
    void autoLossPicksBceForTwoClassesCrossEntropyForMoreAndTheRegressionLossForRegression() {
        assertTrue(Losses.create(LossType.AUTO, new Objective.Classification(2)) instanceof BinaryCrossEntropy);
        assertTrue(Losses.create(LossType.AUTO, new Objective.Classification(5)) instanceof SoftmaxCrossEntropy);
        assertTrue(Losses.create(LossType.AUTO, new Objective.Regression(RegressionLoss.MSE)) instanceof MeanSquaredError);
        assertTrue(Losses.create(LossType.AUTO, new Objective.Regression(RegressionLoss.MAE)) instanceof MeanAbsoluteError);
        assertTrue(Losses.create(LossType.MAE, new Objective.Regression(RegressionLoss.MAE)) instanceof MeanAbsoluteError);
    }

    @Test
    void absoluteErrorIsTheDistanceAndItsGradientTheSignTimesTheScale() {
        Loss mae = new MeanAbsoluteError();
        float[] grad = new float[1];
        assertEquals(1.5, mae.lossAndGradient(new float[] {1f}, 0, 2.5f, 0.25f, grad));
        assertEquals(-0.25f, grad[0]);
        assertEquals(2.0, mae.lossAndGradient(new float[] {4f}, 0, 2f, 0.25f, grad));
        assertEquals(0.25f, grad[0]);
        assertEquals(0.0, mae.lossAndGradient(new float[] {2f}, 0, 2f, 0.25f, grad));
        assertEquals(0f, grad[0]);
        assertEquals(1.5, mae.loss(new float[] {1f}, 0, 2.5f));
    }

    @Test
    void lossThatDoesNotFitTheTaskIsRejectedNamingTheLossField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.create(LossType.BCE, new Objective.Classification(3)));
        assertTrue(e.getMessage().contains("'loss'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.create(LossType.MSE, new Objective.Classification(2)));
        assertThrows(IllegalArgumentException.class,
                () -> Losses.create(LossType.CROSS_ENTROPY, new Objective.Regression(RegressionLoss.MSE)));
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> Losses.create(LossType.MSE, new Objective.Regression(RegressionLoss.MAE)));
        assertEquals("model spec: 'loss' mse does not fit regression trained with mae (use auto, or bce for 2 classes,"
                + " cross_entropy for 2+ classes, mse or mae for regression)", mismatch.getMessage());
    }
}
