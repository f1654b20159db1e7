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
 * aggregated evaluation metric, and the {@code round/...} counts; for each site: {@code eval/<m>} for its own
 * evaluation, its claimed example counts, and {@code round/failed} (1) when it failed. Within a round the rows come
 * federation first, then sites in name order, each in metric name order, so two runs of one seed write equal files.
 */
public final class TrackedMetrics {

    public static final String TRAIN_PREFIX = "train/";
    public static final String EVAL_PREFIX = "eval/";
    public static final String DURATION_MS = "round/duration_ms";
    public static final String SITES_SELECTED = "round/sites_selected";
    public static final String SITES_SUCCEEDED = "round/sites_succeeded";
    public static final String SITES_FAILED = "round/sites_failed";
    public static final String COMPLETED = "round/completed";
    /** Per site: 1 in a round the site failed (the reason is in the run log and audit log). */
    public static final String FAILED = "round/failed";
    public static final String FIT_EXAMPLES = "claims/fit_examples";
    public static final String EVAL_EXAMPLES = "claims/eval_examples";
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
