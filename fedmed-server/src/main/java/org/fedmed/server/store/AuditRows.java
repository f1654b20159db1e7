package org.fedmed.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainBreak;
import org.fedmed.server.audit.ChainEntry;
import org.fedmed.server.audit.ChainReport;

/**
 * Writes {@code audit_log} rows as a hash chain per run and verifies it. Each row's {@code prev_hash} is the
 * {@code entry_hash} of the run's row before it (by id; {@link AuditChain#GENESIS} for the first), and its
 * {@code entry_hash} is {@link AuditChain#hash} of {@code {run, time, actor, event, detail, prev}} as stored. The
 * rows that belong to no run form one chain of their own. Rows written before schema version 2 have null hashes
 * and verify as unchained. The caller owns the transaction and serializes writers, so a run's chain follows the
 * order of its ids.
 */
final class AuditRows {

    private AuditRows() {
    }

    /** One row to append: every column but the run, the id and the two hashes. */
    record Row(String time, String actor, String event, String detail) {
    }

    /**
     * Appends {@code rows} to the chain of {@code runId} (null: the rows of no run) in their order: the previous
     * row's hash is read once, and each row's becomes the next one's {@code prev_hash}.
     */
    static void insert(Connection c, Long runId, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String prev = AuditChain.GENESIS;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT entry_hash FROM audit_log WHERE run_id IS ? ORDER BY id DESC LIMIT 1")) {
            setRun(ps, 1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    prev = rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO audit_log (time, run_id, actor, event, detail, prev_hash, entry_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (Row r : rows) {
                String hash = AuditChain.hash(content(runId, r.time(), r.actor(), r.event(), r.detail(), prev));
                ps.setString(1, r.time());
                setRun(ps, 2, runId);
                ps.setString(3, r.actor());
                ps.setString(4, r.event());
                ps.setString(5, r.detail());
                ps.setString(6, prev);
                ps.setString(7, hash);
                ps.executeUpdate();
                prev = hash;
            }
        }
    }

    /** Verifies the chain of one run's rows ({@code runId} null: the rows of no run), naming rows by id. */
    static ChainReport verify(Connection c, Long runId) throws SQLException {
        List<ChainEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, time, actor, event, detail, prev_hash, entry_hash FROM audit_log
                WHERE run_id IS ? ORDER BY id""")) {
            setRun(ps, 1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String prev = rs.getString(6);
                    String hash = rs.getString(7);
                    if (prev == null && hash == null) {
                        entries.add(new ChainEntry.Unchained(id));
                    } else if (!AuditChain.isHash(prev) || !AuditChain.isHash(hash)) {
                        entries.add(new ChainEntry.Broken(id, ChainBreak.Kind.BAD_HASH, "prev_hash " + quoted(prev)
                                + " and entry_hash " + quoted(hash) + " must both be 64 lower-case hex digits"));
                    } else {
                        entries.add(new ChainEntry.Chained(id, prev, hash, AuditChain.hash(content(runId,
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), prev))));
                    }
                }
            }
        }
        return AuditChain.verify("entry", entries, List.of());
    }

    /** What a row's hash covers: every column but its id and its own hash. */
    private static Map<String, Object> content(Long runId, String time, String actor, String event, String detail,
                                               String prev) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", runId);
        m.put("time", time);
        m.put("actor", actor);
        m.put("event", event);
        m.put("detail", detail);
        m.put(AuditChain.PREV, prev);
        return m;
    }

    private static void setRun(PreparedStatement ps, int index, Long runId) throws SQLException {
        if (runId == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, runId);
        }
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
