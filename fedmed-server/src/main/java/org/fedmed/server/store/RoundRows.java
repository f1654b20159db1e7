package org.fedmed.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTraffic;

/**
 * Maps a core {@link RoundRecord} to rows of {@code rounds}, {@code site_results}, {@code metrics} and
 * {@code site_traffic}, and back. The caller owns the transaction. Reading back gives a record equal to the one
 * written. A store below schema version {@value StoreSchema#AGGREGATION_AND_TRAFFIC_VERSION} (one opened read-only,
 * which is never migrated) reads back with no aggregation time and no traffic, as does a row whose aggregation time
 * is NULL.
 */
final class RoundRows {

    /** The metrics scope of the federated (aggregated) values; a site may not use it as its id. */
    static final String FEDERATED = "federated";

    private RoundRows() {
    }

    private record NumberedFailure(int seq, SiteFailure failure) {
    }

    /** What the {@code rounds} row stores besides the record: timing and the checkpoint. */
    record Extra(Instant started, Instant finished, String checkpointPath, String checkpointSha256) {
    }

    static void insert(Connection c, long runId, RoundRecord r, Extra extra) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO rounds (run_id, round, started, finished, duration_ms, completed, selected_count,
                    succeeded_count, selected_sites, succeeded_sites, fit_metrics, eval_metrics, checkpoint_path,
                    checkpoint_sha256, aggregation_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, runId);
            ps.setInt(2, r.round());
            ps.setString(3, extra.started().toString());
            ps.setString(4, extra.finished().toString());
            ps.setLong(5, r.durationMillis());
            ps.setInt(6, r.completed() ? 1 : 0);
            ps.setInt(7, r.selected().size());
            ps.setInt(8, r.succeeded().size());
            ps.setString(9, StoreJson.strings(r.selected()));
            ps.setString(10, StoreJson.strings(r.succeeded()));
            ps.setString(11, StoreJson.metrics(r.fitMetrics()));
            ps.setString(12, StoreJson.metrics(r.evalMetrics()));
            ps.setString(13, extra.checkpointPath());
            ps.setString(14, extra.checkpointSha256());
            if (r.aggregationNanos() > 0) {
                ps.setLong(15, r.aggregationNanos());
            } else {
                ps.setNull(15, Types.INTEGER);
            }
            ps.executeUpdate();
        }
        insertSiteResults(c, runId, r);
        insertMetrics(c, runId, r);
        insertTraffic(c, runId, r);
    }

    private static void insertTraffic(Connection c, long runId, RoundRecord r) throws SQLException {
        if (r.traffic().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO site_traffic (run_id, round, site, bytes_sent, bytes_received) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, SiteTraffic> e : new TreeMap<>(r.traffic()).entrySet()) {
                ps.setLong(1, runId);
                ps.setInt(2, r.round());
                ps.setString(3, e.getKey());
                ps.setLong(4, e.getValue().bytesSent());
                ps.setLong(5, e.getValue().bytesReceived());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Per round, each site's traffic; empty below schema version 4. */
    private static Map<Integer, Map<String, SiteTraffic>> readTraffic(Connection c, long runId, int after, int upTo,
                                                                     boolean stored) throws SQLException {
        Map<Integer, Map<String, SiteTraffic>> out = new HashMap<>();
        if (!stored) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT round, site, bytes_sent, bytes_received FROM site_traffic WHERE run_id = ? AND round > ?
                AND round <= ? ORDER BY round, site""")) {
            ps.setLong(1, runId);
            ps.setInt(2, after);
            ps.setInt(3, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getInt(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), new SiteTraffic(rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    private static void insertSiteResults(Connection c, long runId, RoundRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO site_results (run_id, round, site, kind, status, num_examples, metrics, reason, failure_seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (String site : r.succeeded()) {
                addSiteResult(ps, runId, r.round(), site, TaskKind.FIT, "ok", r.fitClaims().get(site), null, null, null);
            }
            List<TaskKind> kinds = failureKinds(r);
            for (int i = 0; i < r.failures().size(); i++) {
                SiteFailure f = r.failures().get(i);
                Map<String, Long> claims = kinds.get(i) == TaskKind.FIT ? r.fitClaims() : r.evalClaims();
                Long claim = f.siteId() == null ? null : claims.get(f.siteId());
                addSiteResult(ps, runId, r.round(), f.siteId(), kinds.get(i), status(f.kind()), claim, null, f.reason(), i);
            }
            for (Map.Entry<String, Map<String, Double>> e : new TreeMap<>(r.siteEvalMetrics()).entrySet()) {
                addSiteResult(ps, runId, r.round(), e.getKey(), TaskKind.EVAL, "ok", r.evalClaims().get(e.getKey()),
                        StoreJson.metrics(e.getValue()), null, null);
            }
            ps.executeBatch();
        }
    }

    private static void addSiteResult(PreparedStatement ps, long runId, int round, String site, TaskKind kind,
                                      String status, Long examples, String metrics, String reason, Integer seq)
            throws SQLException {
        ps.setLong(1, runId);
        ps.setInt(2, round);
        ps.setString(3, site);
        ps.setString(4, kind.dbValue());
        ps.setString(5, status);
        if (examples == null) {
            ps.setNull(6, Types.INTEGER);
        } else {
            ps.setLong(6, examples);
        }
        ps.setString(7, metrics);
        ps.setString(8, reason);
        if (seq == null) {
            ps.setNull(9, Types.INTEGER);
        } else {
            ps.setInt(9, seq);
        }
        ps.addBatch();
    }

    /**
     * Which failures were fit failures and which evaluation failures. The engine lists a round's fit failures
     * (one per selected site that did not succeed) before its evaluation failures, so a failure is a fit failure
     * while it names a selected site that has not yet been accounted for, and every failure after the first that
     * does not is an evaluation failure.
     */
    static List<TaskKind> failureKinds(RoundRecord r) {
        Map<String, Integer> pendingFit = new HashMap<>();
        for (String s : r.selected()) {
            pendingFit.merge(s, 1, Integer::sum);
        }
        for (String s : r.succeeded()) {
            pendingFit.computeIfPresent(s, (k, n) -> n > 1 ? n - 1 : null);
        }
        List<TaskKind> kinds = new ArrayList<>();
        boolean evaluating = false;
        for (SiteFailure f : r.failures()) {
            if (!evaluating && pendingFit.containsKey(f.siteId())) {
                pendingFit.computeIfPresent(f.siteId(), (k, n) -> n > 1 ? n - 1 : null);
                kinds.add(TaskKind.FIT);
            } else {
                evaluating = true;
                kinds.add(TaskKind.EVAL);
            }
        }
        return kinds;
    }

    private static void insertMetrics(Connection c, long runId, RoundRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO metrics (run_id, round, kind, scope, name, value) VALUES (?, ?, ?, ?, ?, ?)")) {
            addMetrics(ps, runId, r.round(), TaskKind.FIT, FEDERATED, r.fitMetrics());
            addMetrics(ps, runId, r.round(), TaskKind.EVAL, FEDERATED, r.evalMetrics());
            for (Map.Entry<String, Map<String, Double>> e : new TreeMap<>(r.siteEvalMetrics()).entrySet()) {
                addMetrics(ps, runId, r.round(), TaskKind.EVAL, e.getKey(), e.getValue());
            }
            ps.executeBatch();
        }
    }

    private static void addMetrics(PreparedStatement ps, long runId, int round, TaskKind kind, String scope,
                                   Map<String, Double> metrics) throws SQLException {
        for (Map.Entry<String, Double> m : new TreeMap<>(metrics).entrySet()) {
            ps.setLong(1, runId);
            ps.setInt(2, round);
            ps.setString(3, kind.dbValue());
            ps.setString(4, scope);
            ps.setString(5, m.getKey());
            double v = m.getValue();
            if (Double.isFinite(v)) {
                ps.setDouble(6, v);
            } else {
                ps.setNull(6, Types.REAL); // SQLite has no NaN; the JSON columns keep the exact value
            }
            ps.addBatch();
        }
    }

    private static String status(SiteFailure.Kind kind) {
        return switch (kind) {
            case ERROR -> "error";
            case TIMEOUT -> "timeout";
            case REJECTED -> "rejected";
        };
    }

    private static SiteFailure.Kind failureKind(String status) {
        return switch (status) {
            case "error" -> SiteFailure.Kind.ERROR;
            case "timeout" -> SiteFailure.Kind.TIMEOUT;
            case "rejected" -> SiteFailure.Kind.REJECTED;
            default -> throw new IllegalStateException("site_results.status '" + status + "' is not a failure");
        };
    }

    /** Every recorded round of a run, in round order, rebuilt as core records. */
    static List<RoundRecord> read(Connection c, long runId) throws SQLException {
        return read(c, runId, 0);
    }

    /** The recorded rounds of a run after round {@code after}, in round order, rebuilt as core records. */
    static List<RoundRecord> read(Connection c, long runId, int after) throws SQLException {
        return read(c, runId, after, Integer.MAX_VALUE);
    }

    /** The recorded rounds {@code after + 1 .. upTo} of a run, in round order, rebuilt as core records. */
    static List<RoundRecord> read(Connection c, long runId, int after, int upTo) throws SQLException {
        Map<Integer, List<NumberedFailure>> failures = new HashMap<>();
        Map<Integer, Map<String, Map<String, Double>>> siteEval = new HashMap<>();
        Map<Integer, Map<String, Long>> fitClaims = new HashMap<>();
        Map<Integer, Map<String, Long>> evalClaims = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT round, site, kind, status, metrics, reason, failure_seq, num_examples FROM site_results
                WHERE run_id = ? AND round > ? AND round <= ? ORDER BY round, id""")) {
            ps.setLong(1, runId);
            ps.setInt(2, after);
            ps.setInt(3, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int round = rs.getInt(1);
                    String site = rs.getString(2);
                    String kind = rs.getString(3);
                    String status = rs.getString(4);
                    long examples = rs.getLong(8);
                    if (!rs.wasNull()) {
                        (kind.equals(TaskKind.EVAL.dbValue()) ? evalClaims : fitClaims)
                                .computeIfAbsent(round, k -> new LinkedHashMap<>()).put(site, examples);
                    }
                    if (!status.equals("ok")) {
                        SiteFailure f = new SiteFailure(round, site, failureKind(status), rs.getString(6));
                        failures.computeIfAbsent(round, k -> new ArrayList<>()).add(new NumberedFailure(rs.getInt(7), f));
                    } else if (kind.equals(TaskKind.EVAL.dbValue())) {
                        siteEval.computeIfAbsent(round, k -> new LinkedHashMap<>())
                                .put(site, StoreJson.metrics(rs.getString(5)));
                    }
                }
            }
        }
        boolean measured = StoreSchema.version(c) >= StoreSchema.AGGREGATION_AND_TRAFFIC_VERSION;
        Map<Integer, Map<String, SiteTraffic>> traffic = readTraffic(c, runId, after, upTo, measured);
        List<RoundRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT round, duration_ms, completed, selected_sites,"
                + " succeeded_sites, fit_metrics, eval_metrics, " + (measured ? "aggregation_ns" : "NULL")
                + " FROM rounds WHERE run_id = ? AND round > ? AND round <= ? ORDER BY round")) {
            ps.setLong(1, runId);
            ps.setInt(2, after);
            ps.setInt(3, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int round = rs.getInt(1);
                    List<NumberedFailure> numbered = new ArrayList<>(failures.getOrDefault(round, List.of()));
                    numbered.sort(Comparator.comparingInt(NumberedFailure::seq));
                    List<SiteFailure> ordered = new ArrayList<>();
                    for (NumberedFailure nf : numbered) {
                        ordered.add(nf.failure());
                    }
                    out.add(new RoundRecord(round, StoreJson.strings(rs.getString(4)), StoreJson.strings(rs.getString(5)),
                            ordered, rs.getInt(3) == 1, StoreJson.metrics(rs.getString(6)),
                            StoreJson.metrics(rs.getString(7)), siteEval.getOrDefault(round, Map.of()), rs.getLong(2),
                            fitClaims.getOrDefault(round, Map.of()), evalClaims.getOrDefault(round, Map.of()),
                            rs.getLong(8), traffic.getOrDefault(round, Map.of())));
                }
            }
        }
        return out;
    }
}
