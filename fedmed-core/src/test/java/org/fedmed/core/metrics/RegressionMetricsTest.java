package org.fedmed.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void regressionMetricsMatchHandComputedValues() {
        Map<String, Double> m = RegressionMetrics.compute(new float[] {1, 2, 3}, new float[] {1, 2, 5});
        assertEquals(List.of("rmse", "mae", "r2", "mse"), List.copyOf(m.keySet()));
        assertEquals(4.0 / 3, m.get("mse"), 1e-12);
        assertEquals(Math.sqrt(4.0 / 3), m.get("rmse"), 1e-12);
        assertEquals(2.0 / 3, m.get("mae"), 1e-12);
        // mean 8/3; deviations -5/3, -2/3, 7/3 -> total sum of squares 78/9
        assertEquals(1 - 4.0 / (78.0 / 9), m.get("r2"), 1e-12);
    }

    @Test
    void errorsAreTakenInDoubleNotInFloat() {
        // 1e8 - 1 = 99999999 is not a float (floats near 1e8 are 8 apart), so a float difference would give 1e8
        Map<String, Double> m = RegressionMetrics.compute(new float[] {1e8f}, new float[] {1f});
        assertEquals(99_999_999.0, m.get("mae"), 0);
    }

    @Test
    void r2IsUndefinedWhenTargetsAreAllEqual() {
        assertEquals(Map.of(RegressionMetrics.R2, "test targets are all equal"),
                RegressionMetrics.undefined(new float[] {2.5f, 2.5f}));
        assertTrue(Double.isNaN(RegressionMetrics.compute(new float[] {1, 2}, new float[] {2.5f, 2.5f}).get("r2")));
        assertEquals(Map.of(), RegressionMetrics.undefined(new float[] {1, 2}));
        assertEquals(RegressionMetrics.NAMES, List.copyOf(RegressionMetrics.undefined(new float[0]).keySet()));
    }

    @Test
    void mismatchedLengthsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RegressionMetrics.compute(new float[] {1}, new float[] {1, 2}));
        assertEquals("got 1 predictions, expected 2", e.getMessage());
    }
}
