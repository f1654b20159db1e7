package org.fedmed.core.objective;

import java.util.Locale;
import org.fedmed.core.metrics.RegressionMetrics;

/** The training loss of a regression: squared or absolute error. Each is also the metric the engine watches. */
public enum RegressionLoss {
    /** Mean squared error; watched as {@value RegressionMetrics#MSE}. */
    MSE(RegressionMetrics.MSE),
    /** Mean absolute error; watched as {@value RegressionMetrics#MAE}. */
    MAE(RegressionMetrics.MAE);

    private final String metric;

    RegressionLoss(String metric) {
        this.metric = metric;
    }

    /** The name of the metric that equals this loss on a test split. */
    public String metric() {
        return metric;
    }

    /** The spelling in spec files: {@code mse} or {@code mae}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
