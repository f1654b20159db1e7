package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void mlpLayoutNamesDenseTensorsWithOutByInWeights() {
        Model model = Models.build(ModelSpec.mlp(32, 16), 13, 3);
        List<String> described = model.layout().entries().stream().map(ParameterLayout.Entry::toString).toList();
        assertEquals(List.of("dense0.weight[32, 13]", "dense0.bias[32]", "dense1.weight[16, 32]", "dense1.bias[16]",
                "dense2.weight[3, 16]", "dense2.bias[3]"), described);
        assertEquals(32 * 13 + 32 + 16 * 32 + 16 + 3 * 16 + 3, model.parameterCount());
    }

    @Test
    void outputHeadWidthFollowsTheLoss() {
        assertEquals(1, Models.build(ModelSpec.logistic(), 5, 2).layout().entry("dense0.bias").size());
        assertEquals(4, Models.build(ModelSpec.logistic(), 5, 4).layout().entry("dense0.bias").size());
        assertEquals(1, Models.build(ModelSpec.logistic(), 5, 0).layout().entry("dense0.bias").size());
        Model twoClassSoftmax = Models.build(ModelSpec.logistic().withLoss(LossType.CROSS_ENTROPY), 5, 2);
        assertEquals(2, twoClassSoftmax.layout().entry("dense0.bias").size());
        assertEquals(1, twoClassSoftmax.predictionWidth());
    }

    @Test
    void initIsSeededWithZeroBiasesAndWeightsWithinTheHeBound() {
        Model model = Models.build(ModelSpec.mlp(8), 6, 2);
        ModelParameters a = model.init(42);
        assertEquals(a, model.init(42));
        assertFalse(Arrays.equals(a.flat(), model.init(43).flat()));
        for (float b : a.tensor("dense0.bias").values()) {
            assertEquals(0f, b);
        }
        float bound = (float) Math.sqrt(6.0 / 6);
        float max = 0;
        for (float w : a.tensor("dense0.weight").values()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= bound && max > bound / 2, "max |w| " + max + " vs He bound " + bound);
    }

    @Test
    void logisticPredictionAndLossMatchHandComputedValues() {
        ModelSpec spec = ModelSpec.logistic().withL2(0.1);
        Model model = Models.build(spec, 2, 2);
        float[] params = {1, -1, 0.5f};   // z = x0 - x1 + 0.5
        LabeledData data = new LabeledData(new float[] {1, 2, 0, 0}, new float[] {1, 0}, 2, 2, 2, List.of("a", "b"));
        float[] p = model.predict(params, data);
        assertEquals(1 / (1 + Math.exp(0.5)), p[0], 1e-6);    // z = -0.5
        assertEquals(1 / (1 + Math.exp(-0.5)), p[1], 1e-6);   // z = 0.5
        double expected = (Math.log1p(Math.exp(0.5)) + Math.log1p(Math.exp(0.5))) / 2;
        assertEquals(expected, model.loss(params, data), 1e-6);
        assertEquals(0.5 * 0.1 * 2, model.regularization(params), 1e-9);
    }

    @Test
    void multiClassPredictionsAreRowMajorProbabilitiesThatSumToOne() {
        Model model = Models.build(ModelSpec.mlp(5), 3, 4);
        LabeledData data = SyntheticData.random(300, 3, 4, 1);
        float[] p = model.predict(model.init(2).flat(), data);
        assertEquals(300 * 4, p.length);
        for (int r = 0; r < 300; r++) {
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                assertTrue(p[r * 4 + c] > 0 && p[r * 4 + c] < 1);
                sum += p[r * 4 + c];
            }
            assertEquals(1, sum, 1e-5);
        }
    }

    @Test
    void regressionPredictsOneValuePerRow() {
        Model model = Models.build(ModelSpec.logistic(), 2, 0);
        LabeledData data = new LabeledData(new float[] {1, 2, 3, 4}, new float[] {0, 0}, 2, 2, 0, List.of("a", "b"));
        assertArrayEquals(new float[] {1 * 2 - 2 + 1, 3 * 2 - 4 + 1}, model.predict(new float[] {2, -1, 1}, data));
    }

    @Test
    void dropoutActsOnlyWhenTrainingAndLossEqualsTheDropoutFreeBatchLoss() {
        Model model = Models.build(ModelSpec.mlp(16).withDropout(0.5), 3, 2);
        LabeledData data = SyntheticData.random(20, 3, 2, 4);
        float[] params = model.init(1).copyFlat();
        int[] rows = new int[20];
        Arrays.setAll(rows, i -> i);
        float[] grad = new float[params.length];
        Model.Workspace ws = model.newWorkspace(20);
        double withoutDropout = model.lossAndGradient(params, data, rows, 0, 20, grad, ws, null);
        double withDropout = model.lossAndGradient(params, data, rows, 0, 20, grad, ws, new SplittableRandom(3));
        assertEquals(model.loss(params, data), withoutDropout, 1e-6);
        assertTrue(Math.abs(withDropout - withoutDropout) > 1e-6);
        assertArrayEquals(model.predict(params, data), model.predict(params, data));
    }

    @Test
    void dataThatDoesNotFitTheModelIsRejectedWithTheReason() {
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        float[] params = model.init(1).copyFlat();
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                () -> model.predict(params, SyntheticData.random(4, 2, 2, 1)));
        assertTrue(cols.getMessage().contains("2 feature columns"), cols.getMessage());
        LabeledData badLabel = new LabeledData(new float[3], new float[] {2}, 1, 3, 2, List.of("a", "b", "c"));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> model.loss(params, badLabel));
        assertTrue(label.getMessage().contains("row 0"), label.getMessage());
        LabeledData nan = new LabeledData(new float[] {0, Float.NaN, 0}, new float[] {1}, 1, 3, 2, List.of("a", "b", "c"));
        IllegalArgumentException feature = assertThrows(IllegalArgumentException.class, () -> model.checkData(nan));
        assertTrue(feature.getMessage().contains("'b'"), feature.getMessage());
    }
}
