package org.fedmed.core.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.junit.jupiter.api.Test;

class ObjectiveTest {

    private static final MetricsComputer NONE = new MetricsComputer() {
        public List<String> names() {
            return List.of("c_index");
        }

        public Map<String, Double> compute(float[] predictions, float[] labels) {
            return Map.of("c_index", 0.5);
        }

        public Map<String, String> undefined(float[] labels) {
            return Map.of();
        }
    };

    @Test
    void eachObjectiveNamesTheLossTheEngineWatches() {
        assertEquals("log_loss", new Objective.Classification(2).watchedLoss());
        assertEquals("log_loss", new Objective.Classification(5).watchedLoss());
        assertEquals("mse", new Objective.Regression(RegressionLoss.MSE).watchedLoss());
        assertEquals("mae", new Objective.Regression(RegressionLoss.MAE).watchedLoss());
        assertEquals("cox_loss", new Objective.Survival(NONE).watchedLoss());
        assertEquals(List.of("roc_auc", "r2", "c_index"), List.of(new Objective.Classification(2).headlineMetric(),
                new Objective.Regression(null).headlineMetric(), new Objective.Survival(NONE).headlineMetric()));
    }

    @Test
    void labelLayoutAndLossFamilyFollowTheObjective() {
        assertEquals(LabelLayout.CLASS_INDEX, new Objective.Classification(3).labelLayout());
        assertEquals(LabelLayout.TARGET, new Objective.Regression(null).labelLayout());
        assertEquals(2, new Objective.Survival(NONE).labelLayout().width());
        assertEquals(LossFamily.PER_ROW, new Objective.Regression(RegressionLoss.MAE).lossFamily());
        assertEquals(LossFamily.PER_RISK_SET, new Objective.Survival(NONE).lossFamily());
    }

    @Test
    void classificationMetricsAreClassificationMetricsBitForBit() {
        float[] p = {0.1f, 0.8f, 0.6f, 0.3f, 0.55f};
        float[] y = {0, 1, 0, 1, 1};
        assertEquals(ClassificationMetrics.compute(p, y, 2), new Objective.Classification(2).metrics().compute(p, y));
        float[] probs = {0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f};
        float[] y3 = {0, 1};
        assertEquals(ClassificationMetrics.compute(probs, y3, 3),
                new Objective.Classification(3).metrics().compute(probs, y3));
        assertEquals(ClassificationMetrics.NAMES, new Objective.Classification(2).metrics().names());
    }

    @Test
    void forClassesGivesRegressionOnlyForZeroClasses() {
        assertEquals(new Objective.Regression(RegressionLoss.MAE), Objective.forClasses(0, RegressionLoss.MAE));
        assertEquals(new Objective.Classification(4), Objective.forClasses(4, RegressionLoss.MAE));
        var e = assertThrows(IllegalArgumentException.class, () -> Objective.forClasses(1, RegressionLoss.MSE));
        assertEquals("objective classification: 'classes' must be >= 2, got 1", e.getMessage());
    }
}
