package org.fedmed.core.engine;

import java.util.List;
import java.util.Map;

/**
 * What happened in one round: which sites were asked, which delivered, which failed and why, the
 * aggregated training and evaluation metrics, per-site evaluation metrics, and how long it took.
 */
public record RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                          boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                          Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis) {
    public RoundRecord {
        selected = List.copyOf(selected);
        succeeded = List.copyOf(succeeded);
        failures = List.copyOf(failures);
        fitMetrics = Map.copyOf(fitMetrics);
        evalMetrics = Map.copyOf(evalMetrics);
        siteEvalMetrics = Map.copyOf(siteEvalMetrics);
    }
}
