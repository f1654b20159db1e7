package org.fedmed.ml.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Cox losses against hand-computed values. The five rows, in batch order A..E, have weights exp(eta) 2, 1, 3, 4,
 * 1, times 1, 2, 2, 3, 4 and events 1, 1, 1, 0, 1 (B and C are tied events, D is censored).
 *
 * <p>Breslow: A's risk set is everyone (weight 11), B's and C's both {B, C, D, E} (9), E's {E} (1), so the negative
 * log partial likelihood is (log 11 - log 2) + (2 log 9 - log 1 - log 3) + 0 = log(11 * 81 / 6) = log 148.5, and its
 * gradient in eta_j is w_j * (sum of D/S over the risk sets holding j) - E_j: A 2/11 - 1, B (1/11 + 2/9) - 1,
 * C 3 (1/11 + 2/9) - 1, D 4 (1/11 + 2/9), E (1/11 + 2/9 + 1) - 1.
 *
 * <p>FLamby: sorted longest first E, D, B, C, A (B before C, their batch order), risk sets are prefixes: B {E, D, B}
 * (6), C {E, D, B, C} (9), A everyone (11), E {E}: log 6 + (log 9 - log 3) + (log 11 - log 2) = log 99, over 5 rows.
 * With C before B in the batch: C {E, D, C} (8), B (9): log(8 * 9 * 11 / 6) = log 132.
 */
class CoxLossTest {

    private static final double[] W = {2, 1, 3, 4, 1};
    private static final double[] T = {1, 2, 2, 3, 4};
    private static final boolean[] E = {true, true, true, false, true};

    private static double[] eta(double[] w) {
        double[] eta = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            eta[i] = Math.log(w[i]);
        }
        return eta;
    }

    private static double sum(CoxLoss loss, double[] eta, double[] t, boolean[] e, double[] dEta) {
        int n = eta.length;
        return RiskSets.lossAndGradient(loss, eta.clone(), t.clone(), e.clone(), n, dEta, new int[n], new int[n],
                new double[n]);
    }

    @Test
    void breslowNegativeLogPartialLikelihoodOfTheHandCaseIsLog148point5() {
        assertEquals(Math.log(148.5), CoxModel.negLogPartialLikelihood(eta(W), T, E), 1e-12);
    }

    @Test
    void breslowGradientOfTheHandCaseMatchesTheHandComputedValues() {
        double[] d = new double[5];
        sum(CoxLoss.BRESLOW, eta(W), T, E, d);
        double s = 1.0 / 11 + 2.0 / 9;
        assertArrayEquals(new double[] {2.0 / 11 - 1, s - 1, 3 * s - 1, 4 * s, s}, d, 1e-12);
    }

    @Test
    void breslowDoesNotDependOnTheOrderOfTiedRows() {
        int[] swap = {0, 2, 1, 3, 4};
        double[] w = new double[5];
        double[] t = new double[5];
        boolean[] e = new boolean[5];
        for (int i = 0; i < 5; i++) {
            w[i] = W[swap[i]];
            t[i] = T[swap[i]];
            e[i] = E[swap[i]];
        }
        assertEquals(Math.log(148.5), CoxModel.negLogPartialLikelihood(eta(w), t, e), 1e-12);
    }

    @Test
    void flambyBatchLossOfTheHandCaseIsLog99AndDependsOnTheOrderOfTiedRows() {
        double[] d = new double[5];
        assertEquals(Math.log(99), sum(CoxLoss.FLAMBY_BATCH, eta(W), T, E, d), 1e-12);
        double[] w = {2, 3, 1, 4, 1};
        boolean[] e = {true, true, true, false, true};
        assertEquals(Math.log(132), sum(CoxLoss.FLAMBY_BATCH, eta(w), T, e, d), 1e-12);
    }

    @Test
    void flambyBatchGradientOfTheHandCaseMatchesTheHandComputedValues() {
        // risk sets: E {E}: 1/1; B {E, D, B}: 1/6; C {E, D, B, C}: 1/9; A all: 1/11
        double[] d = new double[5];
        sum(CoxLoss.FLAMBY_BATCH, eta(W), T, E, d);
        double a = 1.0 / 11;
        double c = a + 1.0 / 9;
        double b = c + 1.0 / 6;
        double top = b + 1;
        assertArrayEquals(new double[] {2 * a - 1, b - 1, 3 * c - 1, 4 * b, top - 1}, d, 1e-12);
    }

    @Test
    void withoutTiedTimesBothLossesAreEqual() {
        SurvivalData data = SurvivalFixtures.cox(40, new double[] {0.7, -0.4, 0.2}, 2.0, 0, 3);
        float[] beta = {0.3f, -0.2f, 0.5f};
        CoxModel breslow = new CoxModel(CoxSpec.breslow(), 3);
        CoxModel flamby = new CoxModel(CoxSpec.flamby(), 3);
        assertEquals(breslow.loss(beta, data), flamby.loss(beta, data), 1e-12);
    }

    @Test
    void modelLossOverAllRowsIsThePartialLikelihoodDividedByTheRowCount() {
        SurvivalData data = SurvivalFixtures.cox(60, new double[] {0.7, -0.4}, 2.0, 4, 5);
        float[] beta = {0.3f, -0.2f};
        CoxModel model = new CoxModel(CoxSpec.breslow(), 2);
        double nlpl = CoxModel.negLogPartialLikelihood(model.risk(beta, data), data.times(), data.events());
        assertEquals(nlpl / 60, model.loss(beta, data), 1e-12);
        assertTrue(nlpl > 0);
    }

    @ParameterizedTest
    @EnumSource(CoxLoss.class)
    void gradientInEtaMatchesCentralFiniteDifferences(CoxLoss loss) {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 30;
        double[] eta = new double[n];
        double[] t = new double[n];
        boolean[] e = new boolean[n];
        for (int i = 0; i < n; i++) {
            eta[i] = rng.nextDouble(-2, 2);
            t[i] = rng.nextInt(8);
            e[i] = rng.nextInt(3) > 0;
        }
        double[] d = new double[n];
        sum(loss, eta, t, e, d);
        double h = 1e-6;
        for (int j = 0; j < n; j++) {
            double[] up = eta.clone();
            double[] down = eta.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (sum(loss, up, t, e, new double[n]) - sum(loss, down, t, e, new double[n])) / (2 * h);
            assertEquals(fd, d[j], 1e-7, loss + " row " + j);
        }
    }

    @ParameterizedTest
    @EnumSource(CoxLoss.class)
    void gradientInTheCoefficientsWithL2MatchesCentralFiniteDifferences(CoxLoss loss) {
        SurvivalData data = SurvivalFixtures.cox(50, new double[] {0.7, -0.4, 0.2, 0}, 2.0, 3, 7);
        CoxModel model = new CoxModel(new CoxSpec(loss, 0.05, OptimizerSpec.sgd()), 4);
        float[] beta = {0.25f, -0.5f, 0.125f, 0.75f};
        int[] rows = new int[data.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 7) % rows.length;
        }
        float[] grad = new float[4];
        CoxModel.Workspace ws = model.newWorkspace(rows.length);
        model.lossAndGradient(beta, data, rows, 0, rows.length, grad, ws);
        for (int c = 0; c < 4; c++) {
            float[] up = beta.clone();
            float[] down = beta.clone();
            up[c] += 1e-3f;
            down[c] -= 1e-3f;
            double fUp = model.lossAndGradient(up, data, rows, 0, rows.length, new float[4], ws)
                    + model.regularization(up);
            double fDown = model.lossAndGradient(down, data, rows, 0, rows.length, new float[4], ws)
                    + model.regularization(down);
            double fd = (fUp - fDown) / ((double) up[c] - down[c]);
            assertEquals(fd, grad[c], 2e-5, loss + " coefficient " + c);
        }
    }

    @Test
    void aBatchOfMiniBatchRowsUsesOnlyThoseRowsRiskSets() {
        // the last three hand rows alone: C (t 2, w 3) vs {C, D, E} = 8, E alone: log 8 - log 3
        CoxModel model = new CoxModel(CoxSpec.breslow(), 1);
        float[] x = new float[5];
        for (int i = 0; i < 5; i++) {
            x[i] = (float) Math.log(W[i]);
        }
        SurvivalData data = new SurvivalData(x, T, E, 5, 1, List.of("x"));
        float[] grad = new float[1];
        double loss = model.lossAndGradient(new float[] {1f}, data, new int[] {9, 2, 3, 4}, 1, 3, grad,
                model.newWorkspace(3));
        assertEquals((Math.log(8) - Math.log(3)) / 3, loss, 1e-6);
    }

    @Test
    void theModelHasOneCoefficientTensorShapedLikeALinearLayerWithoutBias() {
        CoxModel model = new CoxModel(CoxSpec.breslow(), 39);
        ParameterLayout layout = model.layout();
        assertEquals(1, layout.entries().size());
        assertEquals(CoxModel.WEIGHT, layout.entries().getFirst().name());
        assertArrayEquals(new int[] {1, 39}, layout.entries().getFirst().shape());
        assertArrayEquals(new float[39], model.init().flat());
    }

    @Test
    void dataWithAnotherColumnCountIsRefusedNamingBothCounts() {
        CoxModel model = new CoxModel(CoxSpec.breslow(), 3);
        SurvivalData data = SurvivalFixtures.cox(5, new double[] {1, 1}, 1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.risk(new float[3], data));
        assertTrue(e.getMessage().contains("3 features") && e.getMessage().contains("2 columns"), e.getMessage());
    }

    @Test
    void negativeTimesAreRefusedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SurvivalData(
                new float[2], new double[] {1, -3}, new boolean[2], 2, 1, List.of("x")));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void lossSpellingsAreFixed() {
        assertEquals(CoxLoss.FLAMBY_BATCH, CoxLoss.of("flamby_batch"));
        assertEquals(CoxLoss.BRESLOW, CoxLoss.of("breslow"));
        assertNotEquals(CoxLoss.BRESLOW.key(), CoxLoss.FLAMBY_BATCH.key());
        assertThrows(IllegalArgumentException.class, () -> CoxLoss.of("efron"));
    }
}
