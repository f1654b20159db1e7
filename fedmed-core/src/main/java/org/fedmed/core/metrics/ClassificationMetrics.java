package org.fedmed.core.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of a classification ({@link org.fedmed.core.objective.Objective.Classification}), computed from
 * predicted probabilities and true class indices: accuracy, balanced accuracy, ROC AUC, log loss and F1 (regression
 * has {@link RegressionMetrics}). Multi-class AUC and F1 are macro averages (one-vs-rest). A metric that is undefined on the data (AUC when
 * only one class is present) is NaN, never a made-up number, and {@link #undefined(float[], int)} says which are
 * undefined and why, so that a report can leave them out with the reason.
 */
public final class ClassificationMetrics {

    public static final String ACCURACY = "accuracy";
    public static final String BALANCED_ACCURACY = "balanced_accuracy";
    public static final String ROC_AUC = "roc_auc";
    public static final String LOG_LOSS = "log_loss";
    public static final String F1 = "f1";
    /** The metrics {@link #compute} returns, in report order. */
    public static final java.util.List<String> NAMES = java.util.List.of(ACCURACY, BALANCED_ACCURACY, ROC_AUC, LOG_LOSS, F1);
    /**
     * Prefixed to a metric's name for the same metric of a site's personal model (FedPer, Ditto) on its test rows,
     * next to the global model's, e.g. {@code personal_log_loss}.
     */
    public static final String PERSONAL_PREFIX = "personal_";

    private static final double EPS = 1e-15;

    private ClassificationMetrics() {
    }

    /**
     * Metrics for a model's output. {@code predictions} holds P(class 1) per row for binary tasks and
     * rows×classes probabilities (row-major) for multi-class tasks.
     *
     * @throws IllegalArgumentException if {@code classes < 2}
     */
    public static Map<String, Double> compute(float[] predictions, float[] labels, int classes) {
        requireClasses(classes);
        if (classes == 2) {
            return binary(predictions, labels);
        }
        return multiclass(predictions, labels, classes);
    }

    /**
     * The metrics {@link #compute} cannot define on rows with these labels, each with the reason in words (for
     * example {@code roc_auc -> "test rows hold one class"}): ROC AUC when the rows hold fewer than two classes, binary
     * F1 when they hold no positive row (its recall is 0/0; {@link #compute} gives 0 there), and every metric when
     * there are no rows. Empty when all are defined.
     */
    public static Map<String, String> undefined(float[] labels, int classes) {
        requireClasses(classes);
        Map<String, String> out = new LinkedHashMap<>();
        if (labels.length == 0) {
            for (String m : NAMES) {
                out.put(m, "no test rows");
            }
            return out;
        }
        boolean allEqual = true;
        for (float y : labels) {
            allEqual &= y == labels[0];
        }
        if (allEqual) {
            out.put(ROC_AUC, "test rows hold one class");
            if (classes == 2 && labels[0] < 0.5f) {
                out.put(F1, "test rows hold no positive (class 1) row");
            }
        }
        return out;
    }

    /** Binary metrics from P(class 1); the decision threshold is 0.5. */
    public static Map<String, Double> binary(float[] p1, float[] labels) {
        requireSameLength(p1.length, labels.length);
        int tp = 0, tn = 0, fp = 0, fn = 0;
        double logLoss = 0;
        for (int i = 0; i < p1.length; i++) {
            boolean positive = labels[i] > 0.5f;
            boolean predicted = p1[i] >= 0.5f;
            if (positive && predicted) tp++;
            else if (positive) fn++;
            else if (predicted) fp++;
            else tn++;
            double p = Math.min(Math.max(p1[i], EPS), 1 - EPS);
            logLoss -= positive ? Math.log(p) : Math.log(1 - p);
        }
        int n = p1.length;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, (double) (tp + tn) / n);
        double tpr = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        double tnr = tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp);
        m.put(BALANCED_ACCURACY, meanIgnoringNaN(tpr, tnr));
        m.put(ROC_AUC, rocAuc(p1, labels, 1, 2, 1));
        m.put(LOG_LOSS, logLoss / n);
        m.put(F1, tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
        return m;
    }

    /** Multi-class metrics from row-major probabilities; the predicted class is the arg-max. */
    public static Map<String, Double> multiclass(float[] probs, float[] labels, int classes) {
        requireSameLength(probs.length, labels.length * classes);
        int n = labels.length;
        int[][] confusion = new int[classes][classes];
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            int y = (int) labels[i];
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probs[i * classes + c] > probs[i * classes + best]) best = c;
            }
            confusion[y][best]++;
            logLoss -= Math.log(Math.min(Math.max(probs[i * classes + y], EPS), 1 - EPS));
        }
        int correct = 0;
        double recallSum = 0, f1Sum = 0, aucSum = 0;
        int recallCount = 0, aucCount = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion[c][c];
            int actual = Arrays.stream(confusion[c]).sum();
            int predicted = 0;
            for (int[] row : confusion) predicted += row[c];
            if (actual > 0) {
                recallSum += (double) confusion[c][c] / actual;
                recallCount++;
            }
            f1Sum += actual + predicted == 0 ? 0 : 2.0 * confusion[c][c] / (actual + predicted);
            double auc = rocAuc(probs, labels, c, classes, c);
            if (!Double.isNaN(auc)) {
                aucSum += auc;
                aucCount++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, (double) correct / n);
        m.put(BALANCED_ACCURACY, recallCount == 0 ? Double.NaN : recallSum / recallCount);
        m.put(ROC_AUC, aucCount == 0 ? Double.NaN : aucSum / aucCount);
        m.put(LOG_LOSS, logLoss / n);
        m.put(F1, f1Sum / classes);
        return m;
    }

    /**
     * One-vs-rest ROC AUC by the rank-sum (Mann-Whitney) formula, with ties given the average rank.
     * Scores are {@code scores[i*stride + offset]}; the positive class is {@code positive}. NaN if the
     * labels hold only one side.
     */
    static double rocAuc(float[] scores, float[] labels, int offset, int stride, int positive) {
        int n = labels.length;
        if (stride == 2 && offset == 1) {
            stride = 1;
            offset = 0;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        final int s = stride, o = offset;
        Arrays.sort(order, (a, b) -> Float.compare(scores[a * s + o], scores[b * s + o]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            float v = scores[order[i] * s + o];
            while (j + 1 < n && scores[order[j + 1] * s + o] == v) j++;
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if ((int) labels[order[k]] == positive) {
                    rankSumPositive += avgRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static double meanIgnoringNaN(double a, double b) {
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return (a + b) / 2;
    }

    private static void requireClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classification metrics need at least 2 classes, got " + classes);
        }
    }

    private static void requireSameLength(int predictions, int expected) {
        if (predictions != expected) {
            throw new IllegalArgumentException("got " + predictions + " predictions, expected " + expected);
        }
    }
}
