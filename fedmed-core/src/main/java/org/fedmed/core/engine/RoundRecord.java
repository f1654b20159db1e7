package org.fedmed.core.engine;

import java.util.List;
import java.util.Map;

/**
 * What happened in one round: which sites were asked, which delivered, which failed and why, the aggregated
 * training and evaluation metrics, per-site evaluation metrics, how long it took, and the example counts each site
 * claimed for its fit and its evaluation (kept for every answer that carried one, accepted or rejected, so a
 * site that lies about its size can be seen afterwards).
 *
 * <p>{@code aggregationNanos} is the time the server spent aggregating the round's fit results: the aggregator's
 * {@code accept} calls, its {@code close()} and its {@code result()} (which takes the strategy's server step), all
 * within {@code durationMillis}; 0 means not recorded (a round stored before it was measured). {@code traffic} holds,
 * per site, the bytes the transport sent to it and received from it during the round (see {@link SitePool#takeTraffic});
 * it is empty for an in-process pool, and for rounds stored before it was counted.
 */
public record RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                          boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                          Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis,
                          Map<String, Long> fitClaims, Map<String, Long> evalClaims, long aggregationNanos,
                          Map<String, SiteTraffic> traffic) {
    public RoundRecord {
        if (aggregationNanos < 0) {
            throw new IllegalArgumentException("aggregationNanos must be >= 0 (0: not recorded), got "
                    + aggregationNanos);
        }
        selected = List.copyOf(selected);
        succeeded = List.copyOf(succeeded);
        failures = List.copyOf(failures);
        fitMetrics = Map.copyOf(fitMetrics);
        evalMetrics = Map.copyOf(evalMetrics);
        siteEvalMetrics = Map.copyOf(siteEvalMetrics);
        fitClaims = Map.copyOf(fitClaims);
        evalClaims = Map.copyOf(evalClaims);
        traffic = Map.copyOf(traffic);
    }

    /** A record with no aggregation time and no traffic recorded. */
    public RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                       boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                       Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis,
                       Map<String, Long> fitClaims, Map<String, Long> evalClaims) {
        this(round, selected, succeeded, failures, completed, fitMetrics, evalMetrics, siteEvalMetrics, durationMillis,
                fitClaims, evalClaims, 0, Map.of());
    }

    /** A record with no claimed counts. */
    public RoundRecord(int round, List<String> selected, List<String> succeeded, List<SiteFailure> failures,
                       boolean completed, Map<String, Double> fitMetrics, Map<String, Double> evalMetrics,
                       Map<String, Map<String, Double>> siteEvalMetrics, long durationMillis) {
        this(round, selected, succeeded, failures, completed, fitMetrics, evalMetrics, siteEvalMetrics, durationMillis,
                Map.of(), Map.of());
    }
}
