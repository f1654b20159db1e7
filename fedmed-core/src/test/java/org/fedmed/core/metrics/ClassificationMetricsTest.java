package org.fedmed.core.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void binaryMetricsMatchHandComputedValues() {
        float[] p = {0.9f, 0.8f, 0.3f, 0.6f, 0.2f, 0.1f};
        float[] y = {1, 1, 1, 0, 0, 0};
        Map<String, Double> m = ClassificationMetrics.binary(p, y);
        // predictions at 0.5: 1,1,0,1,0,0 -> tp=2 fn=1 fp=1 tn=2
        assertEquals(4.0 / 6, m.get("accuracy"), 1e-12);
        assertEquals((2.0 / 3 + 2.0 / 3) / 2, m.get("balanced_accuracy"), 1e-12);
        assertEquals(2.0 * 2 / (2 * 2 + 1 + 1), m.get("f1"), 1e-12);
        // positive/negative pairs ranked correctly: 8 of 9
        assertEquals(8.0 / 9, m.get("roc_auc"), 1e-12);
        double ll = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.4) + Math.log(0.8) + Math.log(0.9)) / 6;
        assertEquals(ll, m.get("log_loss"), 1e-6);
    }

    @Test
    void tiedScoresCountHalfInAuc() {
        Map<String, Double> m = ClassificationMetrics.binary(new float[]{0.5f, 0.5f}, new float[]{1, 0});
        assertEquals(0.5, m.get("roc_auc"), 1e-12);
    }

    @Test
    void aucIsNaNWhenOnlyOneClassIsPresent() {
        assertTrue(ClassificationMetrics.binary(new float[]{0.1f, 0.7f}, new float[]{1, 1}).get("roc_auc").isNaN());
    }

    @Test
    void multiclassUsesArgMaxAndMacroAverages() {
        float[] p = {0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f, 0.2f, 0.5f, 0.3f};
        float[] y = {0, 1, 2};
        Map<String, Double> m = ClassificationMetrics.multiclass(p, y, 3);
        assertEquals(2.0 / 3, m.get("accuracy"), 1e-12);
        assertEquals(2.0 / 3, m.get("balanced_accuracy"), 1e-12);
        // class0 f1=1, class1 f1=2*1/(1+2)=2/3, class2 f1=0
        assertEquals((1 + 2.0 / 3) / 3, m.get("f1"), 1e-12);
        assertEquals(-(Math.log(0.7) + Math.log(0.8) + Math.log(0.3)) / 3, m.get("log_loss"), 1e-6);
    }

    @Test
    void weightedMeanSkipsNaNPerMetric() {
        var m = MetricAggregation.weightedMean(List.of(
                new MetricAggregation.Weighted(1, Map.of("accuracy", 1.0, "roc_auc", Double.NaN)),
                new MetricAggregation.Weighted(3, Map.of("accuracy", 0.0, "roc_auc", 0.8))));
        assertEquals(0.25, m.get("accuracy"), 1e-12);
        assertEquals(0.8, m.get("roc_auc"), 1e-12);
    }

    @Test
    void metricsUndefinedOnOneClassRowsAreNamedWithTheReason() {
        assertEquals(Map.of(ClassificationMetrics.ROC_AUC, "test rows hold one class"),
                ClassificationMetrics.undefined(new float[] {1, 1, 1}, 2));
        assertEquals(Map.of(ClassificationMetrics.ROC_AUC, "test rows hold one class",
                ClassificationMetrics.F1, "test rows hold no positive (class 1) row"),
                ClassificationMetrics.undefined(new float[] {0, 0}, 2));
        assertEquals(Map.of(), ClassificationMetrics.undefined(new float[] {0, 1}, 2));
        assertTrue(Double.isNaN(ClassificationMetrics.compute(new float[] {0.2f, 0.9f, 0.4f}, new float[] {1, 1, 1}, 2)
                .get(ClassificationMetrics.ROC_AUC)), "compute still gives NaN where undefined() names the metric");
    }
}
