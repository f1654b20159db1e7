package org.fedmed.sim.report;

import java.util.List;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.metrics.RegressionMetrics;
import org.fedmed.core.objective.Objective;

/**
 * The pooled test metrics the benchmark, the privacy trade-off and the tuning reports show for an objective, in
 * column order: the first is the one their charts plot. Classification: accuracy, balanced accuracy, ROC AUC, log
 * loss; regression: RMSE, MAE, R², MSE; survival: the C-index and the Cox loss per row. Each list holds the
 * objective's watched loss and headline metric.
 */
public final class ReportedMetrics {

    private ReportedMetrics() {
    }

    /** The columns for {@code objective}. */
    public static List<String> of(Objective objective) {
        return switch (objective) {
            case Objective.Classification c -> List.of(ClassificationMetrics.ACCURACY,
                    ClassificationMetrics.BALANCED_ACCURACY, ClassificationMetrics.ROC_AUC, ClassificationMetrics.LOG_LOSS);
            case Objective.Regression r -> List.of(RegressionMetrics.RMSE, RegressionMetrics.MAE, RegressionMetrics.R2,
                    RegressionMetrics.MSE);
            case Objective.Survival s -> List.of(Objective.Survival.C_INDEX, Objective.Survival.LOSS);
        };
    }

    /** The metrics a trade-off chart plots against epsilon: the headline metric, then the first column if it differs. */
    public static List<String> plotted(List<String> columns, String headline) {
        return headline.equals(columns.getFirst()) ? List.of(headline) : List.of(headline, columns.getFirst());
    }
}
