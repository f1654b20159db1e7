package org.fedmed.server.store;

/** One value of a metric series: the round and the value (NaN where the metric was undefined). */
public record MetricPoint(int round, double value) {
    public MetricPoint {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
    }
}
