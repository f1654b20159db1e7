package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

class InitSchemeTest {

    private static ModelSpec mlp(InitScheme init, int... hidden) {
        return new DenseSpec(ModelType.MLP, Arrays.stream(hidden).boxed().toList(), 0, LossType.AUTO, 0,
                OptimizerSpec.sgd(), init);
    }

    @Test
    void torchLinearKeepsEveryWeightAndBiasWithinOneOverRootFanIn() {
        Model model = Models.build(mlp(InitScheme.TORCH_LINEAR, 40, 7), 13, 3);
        float[] p = model.init(5).copyFlat();
        int biasesOff = 0;
        for (ParameterLayout.Entry e : model.layout().entries()) {
            int fanIn = e.name().startsWith("dense0") ? 13 : e.name().startsWith("dense1") ? 40 : 7;
            float bound = (float) (1 / Math.sqrt(fanIn));
            boolean someNonZero = false;
            for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                assertTrue(Math.abs(p[i]) <= bound, e.name() + "[" + (i - e.offset()) + "] = " + p[i] + " > " + bound);
                someNonZero |= p[i] != 0;
            }
            assertTrue(someNonZero, e.name() + " is all zero");
            if (e.name().endsWith(".bias")) {
                biasesOff++;
            }
        }
        assertEquals(3, biasesOff);
    }

    @Test
    void torchLinearWeightVarianceIsOneOverThreeFanIn() {
        int fanIn = 500;
        Model model = Models.build(mlp(InitScheme.TORCH_LINEAR, 1000), fanIn, 2);
        float[] p = model.init(17).copyFlat();
        ParameterLayout.Entry w = model.layout().entries().getFirst();
        double sum = 0;
        double sumSq = 0;
        for (int i = w.offset(); i < w.offset() + w.size(); i++) {
            sum += p[i];
            sumSq += (double) p[i] * p[i];
        }
        int n = w.size();
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        double expected = 1.0 / (3 * fanIn);
        // 500,000 draws: the relative standard error of the variance is sqrt(0.8 / n) = 0.13%; allow 2%
        assertEquals(expected, variance, 0.02 * expected, "variance " + variance);
        assertEquals(0, mean, 0.01 / Math.sqrt(fanIn));
        // He's default would be twice as wide: sqrt(6 / fan_in) gives variance 2 / fan_in, six times larger
        double he = varianceOf(Models.build(mlp(InitScheme.HE, 1000), fanIn, 2).init(17).copyFlat(), w);
        assertEquals(2.0 / fanIn, he, 0.02 * 2.0 / fanIn);
    }

    private static double varianceOf(float[] p, ParameterLayout.Entry w) {
        double sum = 0;
        double sumSq = 0;
        for (int i = w.offset(); i < w.offset() + w.size(); i++) {
            sum += p[i];
            sumSq += (double) p[i] * p[i];
        }
        double mean = sum / w.size();
        return sumSq / w.size() - mean * mean;
    }

    @Test
    void aFixedSeedGivesFixedFirstValuesForTorchLinearAndForTheUnchangedDefault() {
        // layout: dense0.weight [3, 4], dense0.bias [3], dense1.weight [1, 3], dense1.bias [1]
        float[] torch = Models.build(mlp(InitScheme.TORCH_LINEAR, 3), 4, 2).init(42).copyFlat();
        assertArrayEquals(new float[] {0.24156488f, -0.34008962f, -0.22139888f, -0.15580928f}, Arrays.copyOf(torch, 4));
        assertArrayEquals(new float[] {0.013396116f, 0.020013299f, 0.1651594f}, Arrays.copyOfRange(torch, 12, 15));
        assertEquals(-0.4694693f, torch[18]);
        float[] auto = Models.build(mlp(InitScheme.AUTO, 3), 4, 2).init(42).copyFlat();
        assertArrayEquals(new float[] {0.5917107f, -0.833046f, -0.54231423f, -0.38165325f}, Arrays.copyOf(auto, 4));
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(auto, 12, 15));
        assertArrayEquals(new float[] {0.03281365f, 0.049022373f, 0.40455627f, 0}, Arrays.copyOfRange(auto, 15, 19));
    }

    @Test
    void specFilesSpellItTorchLinearAndTheDefaultStaysAuto() {
        DenseSpec spec = (DenseSpec) ModelSpec.parse("type: logistic\ninit: torch_linear");
        assertEquals(InitScheme.TORCH_LINEAR, spec.init());
        assertEquals(spec, ModelSpec.parse(spec.toJson()));
        assertEquals(InitScheme.AUTO, ((DenseSpec) ModelSpec.parse("type: logistic")).init());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: logistic\ninit: pytorch"));
        assertEquals("model spec: 'init' must be one of auto, he, xavier, torch_linear, got 'pytorch'", e.getMessage());
    }

    @Test
    void torchLinearLogisticRegressionDrawsItsBiasAfterItsWeights() {
        Model model = Models.build(new DenseSpec(ModelType.LOGISTIC, List.of(), 0, LossType.AUTO, 0, OptimizerSpec.sgd(),
                InitScheme.TORCH_LINEAR), 13, 2);
        float[] p = model.init(3).copyFlat();
        float[] heWeights = Models.build(new DenseSpec(ModelType.LOGISTIC, List.of(), 0, LossType.AUTO, 0,
                OptimizerSpec.sgd(), InitScheme.HE), 13, 2).init(3).copyFlat();
        // same generator, limits 1/sqrt(13) and sqrt(6/13): each weight is the He weight scaled by 1/sqrt(6)
        for (int i = 0; i < 13; i++) {
            assertEquals(heWeights[i] / Math.sqrt(6), p[i], 1e-6, "weight " + i);
        }
        assertTrue(p[13] != 0 && Math.abs(p[13]) <= 1 / Math.sqrt(13), "bias " + p[13]);
    }
}
