package org.fedmed.core.objective;

import java.util.List;
import java.util.Map;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.metrics.RegressionMetrics;

/**
 * What a model is trained to predict: the closed choice of a plan. An objective owns
 * <ul>
 *   <li>the {@link LabelLayout} its rows carry (a class index, a target, or a time and an event flag);</li>
 *   <li>the {@link LossFamily} of its training loss (per row, or per risk set for a Cox partial likelihood);</li>
 *   <li>the {@link MetricsComputer} a site runs on its test split and a report runs per site and pooled;</li>
 *   <li>the name of the loss the round engine watches for early stopping ({@link #watchedLoss()}, lower is
 *       better) and of the headline score a report plots next to it ({@link #headlineMetric()}, higher is
 *       better).</li>
 * </ul>
 * A plan resolves the objective once, from the dataset definition's label kind and the model spec's loss; every
 * consumer takes it from there and switches on it with patterns, so a new objective does not compile until each
 * place handles it. Members are records and compare by value.
 */
public sealed interface Objective permits Objective.Classification, Objective.Regression, Objective.Survival {

    /** The objective's name in reports: {@code classification}, {@code regression} or {@code survival}. */
    String key();

    /** How each row's label is laid out. */
    LabelLayout labelLayout();

    /** Over which rows a term of the training loss is defined. */
    LossFamily lossFamily();

    /** The metrics a site reports for its test split and a report computes per site and pooled. */
    MetricsComputer metrics();

    /** The evaluation metric the round engine watches for convergence; lower is better. */
    String watchedLoss();

    /** The score a report shows beside the watched loss (ROC AUC, R², C-index); higher is better. */
    String headlineMetric();

    /**
     * The class count {@link org.fedmed.core.LabeledData} carries for this objective's rows: k for a classification
     * and 0 for a regression or survival target.
     */
    int classes();

    /**
     * The objective for rows of {@link org.fedmed.core.LabeledData} with {@code classes} classes, 0 meaning a
     * numeric target trained with {@code regressionLoss}.
     *
     * @throws IllegalArgumentException if {@code classes} is negative or 1
     */
    static Objective forClasses(int classes, RegressionLoss regressionLoss) {
        return classes == 0 ? new Regression(regressionLoss) : new Classification(classes);
    }

    /**
     * Classification into {@code classes} classes (2 for binary); the label is the class index. Metrics are
     * {@link ClassificationMetrics}'s, and the watched loss is their log loss.
     */
    record Classification(int classes) implements Objective {
        public Classification {
            if (classes < 2) {
                throw new IllegalArgumentException("objective classification: 'classes' must be >= 2, got " + classes);
            }
        }

        public String key() {
            return "classification";
        }

        public LabelLayout labelLayout() {
            return LabelLayout.CLASS_INDEX;
        }

        public LossFamily lossFamily() {
            return LossFamily.PER_ROW;
        }

        public MetricsComputer metrics() {
            int k = classes;
            return new MetricsComputer() {
                public List<String> names() {
                    return ClassificationMetrics.NAMES;
                }

                public Map<String, Double> compute(float[] predictions, float[] labels) {
                    return ClassificationMetrics.compute(predictions, labels, k);
                }

                public Map<String, String> undefined(float[] labels) {
                    return ClassificationMetrics.undefined(labels, k);
                }
            };
        }

        public String watchedLoss() {
            return ClassificationMetrics.LOG_LOSS;
        }

        public String headlineMetric() {
            return ClassificationMetrics.ROC_AUC;
        }
    }

    /**
     * Regression on a numeric target, trained with squared or absolute error. Metrics are
     * {@link RegressionMetrics}'s (RMSE, MAE, R², MSE); the watched loss is the training loss's metric.
     *
     * @param loss the training loss; {@code null} means {@link RegressionLoss#MSE}
     */
    record Regression(RegressionLoss loss) implements Objective {
        private static final MetricsComputer METRICS = new MetricsComputer() {
            public List<String> names() {
                return RegressionMetrics.NAMES;
            }

            public Map<String, Double> compute(float[] predictions, float[] labels) {
                return RegressionMetrics.compute(predictions, labels);
            }

            public Map<String, String> undefined(float[] labels) {
                return RegressionMetrics.undefined(labels);
            }
        };

        public Regression {
            loss = loss == null ? RegressionLoss.MSE : loss;
        }

        public String key() {
            return "regression";
        }

        public LabelLayout labelLayout() {
            return LabelLayout.TARGET;
        }

        public LossFamily lossFamily() {
            return LossFamily.PER_ROW;
        }

        public MetricsComputer metrics() {
            return METRICS;
        }

        public String watchedLoss() {
            return loss.metric();
        }

        public String headlineMetric() {
            return RegressionMetrics.R2;
        }

        public int classes() {
            return 0;
        }
    }

    /**
     * Time to event with right censoring, for a Cox proportional-hazards model: each row carries its time and event
     * flag ({@link LabelLayout#TIME_AND_EVENT}), and the loss is a partial likelihood over risk sets, so it is not a
     * mean of row terms. The module that trains the model supplies the metrics (Harrell's C-index and the loss live
     * in {@code fedmed-ml}'s {@code org.fedmed.ml.survival}, which core does not depend on).
     *
     * @param metrics the C-index and loss over times, events and predicted risks
     */
    record Survival(MetricsComputer metrics) implements Objective {
        /** The name of the watched loss: the negative log partial likelihood per row. */
        public static final String LOSS = "cox_loss";
        /** The name of the headline score: Harrell's C-index. */
        public static final String C_INDEX = "c_index";

        public Survival {
            if (metrics == null) {
                throw new IllegalArgumentException("objective survival: 'metrics' is required");
            }
        }

        public String key() {
            return "survival";
        }

        public LabelLayout labelLayout() {
            return LabelLayout.TIME_AND_EVENT;
        }

        public LossFamily lossFamily() {
            return LossFamily.PER_RISK_SET;
        }

        public String watchedLoss() {
            return LOSS;
        }

        public String headlineMetric() {
            return C_INDEX;
        }

        public int classes() {
            return 0;
        }
    }
}
