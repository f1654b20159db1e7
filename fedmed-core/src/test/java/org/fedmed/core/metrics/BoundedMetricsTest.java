package org.fedmed.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoundedMetricsTest {

    @Test
    void aLiarsClaimedCountCannotCarryTheMeanAndTheMedianIgnoresIt() {
        List<MetricAggregation.Weighted> parts = List.of(
                new MetricAggregation.Weighted(50, Map.of("roc_auc", 0.80)),
                new MetricAggregation.Weighted(70, Map.of("roc_auc", 0.90)),
                new MetricAggregation.Weighted(80, Map.of("roc_auc", 0.85)),
                new MetricAggregation.Weighted(1_000_000_000L, Map.of("roc_auc", 1.0)));
        Map<String, Double> m = MetricAggregation.bounded(parts, 0.5);
        // liar capped at 200 (half of 400): (50*.8 + 70*.9 + 80*.85 + 200*1) / 400
        assertEquals((40 + 63 + 68 + 200) / 400.0, m.get("roc_auc"), 1e-12);
        assertEquals((0.85 + 0.90) / 2, m.get("roc_auc_median"), 1e-12);
        assertEquals(1.0, MetricAggregation.weightedMean(parts).get("roc_auc"), 1e-6);
    }

    @Test
    void nanValuesAreLeftOutOfMeanAndMedian() {
        Map<String, Double> m = MetricAggregation.bounded(List.of(
                new MetricAggregation.Weighted(10, Map.of("roc_auc", Double.NaN)),
                new MetricAggregation.Weighted(10, Map.of("roc_auc", 0.7)),
                new MetricAggregation.Weighted(30, Map.of("roc_auc", 0.9))), 1.0);
        assertEquals((7 + 27) / 40.0, m.get("roc_auc"), 1e-12);
        assertEquals(0.8, m.get("roc_auc_median"), 1e-12);
    }
}
