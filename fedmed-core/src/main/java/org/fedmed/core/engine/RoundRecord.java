package org.fedmed.core.engine;

import java.util.List;
import java.util.Map;

/**
 * What happened in one round: which sites were asked, which delivered, which failed and why, the aggregated
 * training and evaluation metrics, per-site evaluation metrics, how long it took, and the example counts each site
 * claimed for its fit and its evaluation (kept for every answer that carried one, accepted or rejected, so a
 * site that lies about its size can be seen afterwards).
 */
public record RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                          boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                          Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis,
                          Map<String, Long> fitClaims, Map<String, Long> evalClaims) {
    public RoundRecord {
        selected = List.copyOf(selected);
        succeeded = List.copyOf(succeeded);
        failures = List.copyOf(failures);
        fitMetrics = Map.copyOf(fitMetrics);
        evalMetrics = Map.copyOf(evalMetrics);
        siteEvalMetrics = Map.copyOf(siteEvalMetrics);
        fitClaims = Map.copyOf(fitClaims);
        evalClaims = Map.copyOf(evalClaims);
    }

    /** A record with no claimed counts. */
    public RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                       boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                       Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis) {
        this(round, selected, succeeded, failures, completed, fitMetrics, evalMetrics, siteEvalMetrics, durationMillis,
                Map.of(), Map.of());
    }
}
