package org.fedmed.server.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;

/**
 * The tracked metric names, a contract with the files in {@code docs/tracking.md}, and the rows one round yields.
 * A round gives, for the federation: {@code train/<m>} for each aggregated fit metric, {@code eval/<m>} for each
 * aggregated evaluation metric, the {@code round/...} counts and, when it was measured, the round's aggregation time;
 * for each site: {@code eval/<m>} for its own evaluation, its claimed example counts, {@code round/failed} (1) when
 * it failed, and the bytes the transport sent to it and received from it (deployment only: in-process sites move
 * none). Within a round the rows come
 * federation first, then sites in name order, each in metric name order, so two runs of one seed write equal files.
 */
public final class TrackedMetrics {

    public static final String TRAIN_PREFIX = "train/";
    public static final String EVAL_PREFIX = "eval/";
    public static final String DURATION_MS = "round/duration_ms";
    /** The time the server spent aggregating the round's fit results, in (fractional) milliseconds. */
    public static final String AGGREGATION_MS = "round/aggregation_ms";
    public static final String SITES_SELECTED = "round/sites_selected";
    public static final String SITES_SUCCEEDED = "round/sites_succeeded";
    public static final String SITES_FAILED = "round/sites_failed";
    public static final String COMPLETED = "round/completed";
    /** Per site: 1 in a round the site failed (the reason is in the run log and audit log). */
    public static final String FAILED = "round/failed";
    public static final String FIT_EXAMPLES = "claims/fit_examples";
    public static final String EVAL_EXAMPLES = "claims/eval_examples";
    /** Per site: the bytes of protocol messages the server sent to the site in the round. */
    public static final String BYTES_SENT = "traffic/bytes_sent";
    /** Per site: the bytes of protocol messages the server received from the site in the round. */
    public static final String BYTES_RECEIVED = "traffic/bytes_received";
    /** Cumulative epsilon: the federation's (central DP) or, with a site, the site's own (DP-SGD). */
    public static final String EPSILON = "privacy/epsilon";

    private TrackedMetrics() {
    }

    /** The rows of {@code record} in run {@code run}, NaN values left out. */
    public static List<MetricRow> of(String run, RoundRecord record) {
        int round = record.round();
        List<MetricRow> rows = new ArrayList<>();
        new TreeMap<>(record.fitMetrics()).forEach((m, v) -> add(rows, run, round, null, TRAIN_PREFIX + m, v));
        new TreeMap<>(record.evalMetrics()).forEach((m, v) -> add(rows, run, round, null, EVAL_PREFIX + m, v));
        if (record.aggregationNanos() > 0) {
            add(rows, run, round, null, AGGREGATION_MS, record.aggregationNanos() / 1e6);
        }
        add(rows, run, round, null, COMPLETED, record.completed() ? 1 : 0);
        add(rows, run, round, null, DURATION_MS, record.durationMillis());
        add(rows, run, round, null, SITES_FAILED, record.failures().size());
        add(rows, run, round, null, SITES_SELECTED, record.selected().size());
        add(rows, run, round, null, SITES_SUCCEEDED, record.succeeded().size());
        TreeMap<String, TreeMap<String, Double>> sites = new TreeMap<>();
        record.siteEvalMetrics().forEach((site, ms) -> ms.forEach((m, v) ->
                sites.computeIfAbsent(site, s -> new TreeMap<>()).put(EVAL_PREFIX + m, v)));
        record.fitClaims().forEach((site, n) -> sites.computeIfAbsent(site, s -> new TreeMap<>())
                .put(FIT_EXAMPLES, n.doubleValue()));
        record.evalClaims().forEach((site, n) -> sites.computeIfAbsent(site, s -> new TreeMap<>())
                .put(EVAL_EXAMPLES, n.doubleValue()));
        for (SiteFailure f : record.failures()) {
            sites.computeIfAbsent(f.siteId(), s -> new TreeMap<>()).put(FAILED, 1.0);
        }
        record.traffic().forEach((site, t) -> {
            TreeMap<String, Double> ms = sites.computeIfAbsent(site, s -> new TreeMap<>());
            ms.put(BYTES_RECEIVED, (double) t.bytesReceived());
            ms.put(BYTES_SENT, (double) t.bytesSent());
        });
        sites.forEach((site, ms) -> ms.forEach((m, v) -> add(rows, run, round, site, m, v)));
        return rows;
    }

    private static void add(List<MetricRow> rows, String run, int round, String site, String metric, double v) {
        if (!Double.isNaN(v)) {
            rows.add(new MetricRow(run, round, site, metric, v));
        }
    }

    /** {@code values} (site to value) as rows of {@code metric} at {@code round}, sites in name order. */
    public static List<MetricRow> perSite(String run, int round, String metric, Map<String, Double> values) {
        List<MetricRow> rows = new ArrayList<>();
        new TreeMap<>(values).forEach((site, v) -> add(rows, run, round, site, metric, v));
        return rows;
    }
}
