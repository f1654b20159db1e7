package org.fedmed.server.track;

/**
 * One tracked value: in run {@code run}, after round {@code round}, metric {@code metric} was {@code value}, for
 * site {@code site} or for the whole federation when {@code site} is null. Metric names are the constants of
 * {@link TrackedMetrics}, with the engine's own metric names after the {@code train/} and {@code eval/} prefixes.
 */
public record MetricRow(String run, int round, String site, String metric, double value) {
    public MetricRow {
        if (run == null || run.isBlank()) {
            throw new IllegalArgumentException("run must be named, got '" + run + "'");
        }
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (site != null && site.isBlank()) {
            throw new IllegalArgumentException("site must be null (the federation) or named, got '" + site + "'");
        }
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be named, got '" + metric + "'");
        }
    }

    /** Whether this row is the federation's (no site). */
    public boolean global() {
        return site == null;
    }
}
