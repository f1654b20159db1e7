package org.fedmed.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a regression ({@link org.fedmed.core.objective.Objective.Regression}), computed from predicted
 * values and true targets in double: root mean squared error, mean absolute error, the coefficient of determination
 * R² (1 - SSE / SST around the rows' own mean target) and mean squared error. R² is NaN when the targets are all
 * equal (SST = 0), and {@link #undefined} says so.
 */
public final class RegressionMetrics {

    public static final String RMSE = "rmse";
    public static final String MAE = "mae";
    public static final String R2 = "r2";
    public static final String MSE = "mse";
    /** The metrics {@link #compute} returns, in report order. */
    public static final List<String> NAMES = List.of(RMSE, MAE, R2, MSE);

    private RegressionMetrics() {
    }

    /**
     * RMSE, MAE, R² and MSE of one predicted value per row against one target per row.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static Map<String, Double> compute(float[] predictions, float[] targets) {
        if (predictions.length != targets.length) {
            throw new IllegalArgumentException("got " + predictions.length + " predictions, expected " + targets.length);
        }
        int n = targets.length;
        double mean = 0;
        for (float t : targets) {
            mean += t;
        }
        mean /= n;
        double se = 0, ae = 0, tot = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) predictions[i] - targets[i];
            se += d * d;
            ae += Math.abs(d);
            double c = targets[i] - mean;
            tot += c * c;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(RMSE, Math.sqrt(se / n));
        m.put(MAE, ae / n);
        m.put(R2, tot == 0 ? Double.NaN : 1 - se / tot);
        m.put(MSE, se / n);
        return m;
    }

    /** R² when the targets are all equal, every metric when there are no rows; empty otherwise. */
    public static Map<String, String> undefined(float[] targets) {
        Map<String, String> out = new LinkedHashMap<>();
        if (targets.length == 0) {
            NAMES.forEach(m -> out.put(m, "no test rows"));
            return out;
        }
        boolean allEqual = true;
        for (float y : targets) {
            allEqual &= y == targets[0];
        }
        if (allEqual) {
            out.put(R2, "test targets are all equal");
        }
        return out;
    }
}
