package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

class TrainingSiteClientTest {

    static LabeledData data(long seed, int rows) {
        Random r = new Random(seed);
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = (float) r.nextGaussian();
            x[2 * i + 1] = (float) r.nextGaussian();
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
        return new LabeledData(x, y, rows, 2, 2, List.of("a", "b"));
    }

    final Model model = Models.build(ModelSpec.logistic(), 2, 2);
    final TrainingSiteClient site = new TrainingSiteClient("lyon", model, data(1, 64), data(2, 32), 0.9);

    @Test
    void deltaEqualsTrainedWeightsMinusTheGlobalModel() {
        ModelParameters global = model.init(3);
        var weights = site.fit(new FitTask(1, "lyon", global, new FitConfig(2, 8, 0.1, false, 5)));
        var delta = site.fit(new FitTask(1, "lyon", global, new FitConfig(2, 8, 0.1, true, 5)));
        assertFalse(weights.isDelta());
        assertTrue(delta.isDelta());
        for (int i = 0; i < global.size(); i++) {
            assertEquals(weights.parameters().flat()[i] - global.flat()[i], delta.parameters().flat()[i], 1e-6);
        }
        assertEquals(64, weights.numExamples());
        assertEquals(0.9, weights.quality());
        assertEquals("r1-fit-lyon", weights.taskId());
        assertArrayEquals(model.init(3).flat(), global.flat(), "the global model is not modified");
    }

    @Test
    void evaluationReturnsAggregateMetricsOnTheTestSplitOnly() throws Exception {
        var result = site.evaluate(new EvalTask(1, "lyon", model.init(3)));
        assertEquals(32, result.numExamples());
        assertEquals(java.util.Set.of("accuracy", "balanced_accuracy", "roc_auc", "log_loss", "f1"), result.metrics().keySet());
    }

    @Test
    void taskForAnotherModelIsRefusedNamingTheSite() {
        ModelParameters other = ModelParameters.of(List.of(new Tensor("w", new int[]{5}, new float[5])));
        var e = assertThrows(IllegalArgumentException.class,
                () -> site.fit(new FitTask(1, "lyon", other, new FitConfig(1, 8, 0.1, false, 1))));
        assertTrue(e.getMessage().contains("lyon"), e.getMessage());
    }
}
