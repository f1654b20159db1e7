package org.fedmed.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Combines metrics reported by several sites into one federated figure per metric: the mean weighted by
 * each site's number of examples. A site whose value for a metric is NaN (say, AUC on a one-class test set)
 * is left out of that metric's mean only.
 */
public final class MetricAggregation {

    /** Appended to a metric's name for its median over the sites that reported it, e.g. {@code roc_auc_median}. */
    public static final String MEDIAN_SUFFIX = "_median";

    /** One site's metrics and how many examples they were computed on. */
    public record Weighted(long examples, Map<String, Double> metrics) {
    }

    private MetricAggregation() {
    }

    /**
     * For every metric: the example-weighted mean with each site's weight capped at share {@code maxShare} of the
     * total (as {@link org.fedmed.core.strategy.WeightCaps} caps aggregation weights), under the metric's name,
     * and the median over sites, under the name with {@link #MEDIAN_SUFFIX}. Sites whose value is NaN are left
     * out of that metric, and the cap is computed among the sites that reported it.
     */
    public static Map<String, Double> bounded(List<Weighted> parts, double maxShare) {
        TreeSet<String> names = new TreeSet<>();
        parts.forEach(p -> names.addAll(p.metrics().keySet()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            double[] values = new double[parts.size()];
            double[] weights = new double[parts.size()];
            int n = 0;
            for (Weighted p : parts) {
                Double v = p.metrics().get(name);
                if (v != null && !v.isNaN()) {
                    values[n] = v;
                    weights[n] = p.examples();
                    n++;
                }
            }
            if (n == 0) {
                out.put(name, Double.NaN);
                out.put(name + MEDIAN_SUFFIX, Double.NaN);
                continue;
            }
            double[] capped = org.fedmed.core.strategy.WeightCaps.capped(java.util.Arrays.copyOf(weights, n), maxShare);
            double sum = 0;
            double weight = 0;
            for (int i = 0; i < n; i++) {
                sum += values[i] * capped[i];
                weight += capped[i];
            }
            out.put(name, weight == 0 ? Double.NaN : sum / weight);
            out.put(name + MEDIAN_SUFFIX, median(java.util.Arrays.copyOf(values, n)));
        }
        return out;
    }

    private static double median(double[] values) {
        java.util.Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    public static Map<String, Double> weightedMean(List<Weighted> parts) {
        TreeSet<String> names = new TreeSet<>();
        parts.forEach(p -> names.addAll(p.metrics().keySet()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            double sum = 0;
            long weight = 0;
            for (Weighted p : parts) {
                Double v = p.metrics().get(name);
                if (v != null && !v.isNaN()) {
                    sum += v * p.examples();
                    weight += p.examples();
                }
            }
            out.put(name, weight == 0 ? Double.NaN : sum / weight);
        }
        return out;
    }
}
