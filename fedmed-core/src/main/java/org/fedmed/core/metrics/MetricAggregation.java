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

    /** One site's metrics and how many examples they were computed on. */
    public record Weighted(long examples, Map<String, Double> metrics) {
    }

    private MetricAggregation() {
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
