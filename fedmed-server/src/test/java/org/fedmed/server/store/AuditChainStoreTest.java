package org.fedmed.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainBreak;
import org.fedmed.server.audit.ChainReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run store's audit log is a hash chain per run: a normal run verifies, and an UPDATE, DELETE or swap of rows
 * through plain JDBC is found at the exact entry id; a store of schema version 1 keeps its rows and chains new ones.
 */
class AuditChainStoreTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("runs.db");
    }

    /**
     * A run 'heart' (id 1) with entries 1..6 (1 is run_created) and, between them, two entries of no run (ids 3
     * and 6 go to no run), so the run's ids are 1, 2, 4, 5, 7, 8.
     */
    long heartRun() {
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            long id = s.createRun("heart", "{}", 42);
            s.audit(id, "cleveland", AuditEvent.JOINED, "from 10.0.0.5");
            s.audit("mallory", AuditEvent.ADMISSION_REFUSED, "was revoked");
            s.audit(id, "cleveland", AuditEvent.TASK_SENT, "fit task 'r1-fit-cleveland' of round 1");
            s.audit(id, "cleveland", AuditEvent.RESULT_RECEIVED, "task 'r1-fit-cleveland', 812 bytes");
            s.audit("mallory", AuditEvent.ADMISSION_REFUSED, "was revoked");
            s.audit(id, "cleveland", AuditEvent.LEFT, "stream closed");
            s.finishRun(id, RunStatus.COMPLETED, "round_budget");
            return id;
        }
    }

    void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    ChainReport verify(long run) {
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            return s.verifyAudit(run);
        }
    }

    static ChainBreak firstBreak(ChainReport r) {
        return r.firstBreak().orElseThrow(() -> new AssertionError("expected a break: " + r.summary()));
    }

    @Test
    void aNormalRunVerifiesAsOneChainPerRunAndOneOutsideRuns() {
        long id = heartRun();
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            ChainReport run = s.verifyAudit(id);
            assertTrue(run.intact(), run.summary());
            assertEquals(6, run.entries());
            assertEquals(0, run.unchained());
            assertEquals(OptionalLong.of(1), run.chainStart());
            ChainReport outside = s.verifyAuditOutsideRuns();
            assertTrue(outside.intact(), outside.summary());
            assertEquals(2, outside.entries());
        }
    }

    @Test
    void theFirstRowsHashIsSha256OfItsCanonicalJson() throws Exception {
        long id = heartRun();
        String canonical = "{\"actor\":\"server\",\"detail\":\"run 'heart' with seed 42\",\"event\":\"run_created\","
                + "\"prev\":\"" + "0".repeat(64) + "\",\"run\":" + id + ",\"time\":\"2026-03-01T10:00:00Z\"}";
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT prev_hash, entry_hash FROM audit_log WHERE id = 1")) {
            assertTrue(rs.next());
            assertEquals(AuditChain.GENESIS, rs.getString(1));
            assertEquals(expected, rs.getString(2));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT prev_hash FROM audit_log WHERE id = 2")) {
            assertTrue(rs.next());
            assertEquals(expected, rs.getString(1), "the run's next entry links to it");
        }
    }

    @Test
    void anUpdatedDetailIsFoundAtItsEntryAsChangedContent() throws Exception {
        long id = heartRun();
        sql("UPDATE audit_log SET detail = 'task ''r1-fit-cleveland'', 10 bytes' WHERE id = 5");
        ChainReport r = verify(id);
        assertEquals(5, firstBreak(r).position());
        assertEquals(ChainBreak.Kind.CONTENT_CHANGED, firstBreak(r).kind());
        assertEquals(3, r.entries(), "entries 1, 2 and 4 verified before it");
        assertTrue(r.summary().startsWith("broken at entry 5 (content changed)"), r.summary());
    }

    @Test
    void aRowMovedToAnotherRunBreaksBothChains() throws Exception {
        long id = heartRun();
        sql("UPDATE audit_log SET run_id = NULL WHERE id = 4");
        ChainReport run = verify(id);
        assertEquals(5, firstBreak(run).position());
        assertEquals(ChainBreak.Kind.ENTRY_MISSING, firstBreak(run).kind());
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            ChainBreak outside = firstBreak(s.verifyAuditOutsideRuns());
            assertEquals(4, outside.position());
            assertEquals(ChainBreak.Kind.CONTENT_CHANGED, outside.kind());
        }
    }

    @Test
    void aDeletedRowIsFoundAtTheEntryAfterIt() throws Exception {
        long id = heartRun();
        sql("DELETE FROM audit_log WHERE id = 4");
        ChainBreak b = firstBreak(verify(id));
        assertEquals(5, b.position());
        assertEquals(ChainBreak.Kind.ENTRY_MISSING, b.kind());
        assertTrue(b.detail().contains("entry 2"), b.detail());
    }

    @Test
    void twoSwappedRowsAreFoundAtTheFirstAsOutOfOrder() throws Exception {
        long id = heartRun();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            String[][] rows = new String[2][];
            long[] ids = {4, 5};
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT time, actor, event, detail, prev_hash, entry_hash FROM audit_log WHERE id = ?")) {
                    ps.setLong(1, ids[i]);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        rows[i] = new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)};
                    }
                }
            }
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET time = ?, actor = ?, event = ?,"
                        + " detail = ?, prev_hash = ?, entry_hash = ? WHERE id = ?")) {
                    String[] other = rows[1 - i];
                    for (int k = 0; k < other.length; k++) {
                        ps.setString(k + 1, other[k]);
                    }
                    ps.setLong(7, ids[i]);
                    ps.executeUpdate();
                }
            }
        }
        ChainBreak b = firstBreak(verify(id));
        assertEquals(4, b.position());
        assertEquals(ChainBreak.Kind.OUT_OF_ORDER, b.kind());
        assertTrue(b.detail().contains("hash of entry 5"), b.detail());
    }

    @Test
    void aRemovedHashIsABadHash() throws Exception {
        long id = heartRun();
        sql("UPDATE audit_log SET entry_hash = NULL WHERE id = 7");
        ChainBreak b = firstBreak(verify(id));
        assertEquals(7, b.position());
        assertEquals(ChainBreak.Kind.BAD_HASH, b.kind());
    }

    /** The schema of version 1 exactly as it was released (StoreSchema's V1), with its rows. */
    static final List<String> V1_DDL = List.of(
            """
            CREATE TABLE runs (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT    NOT NULL CHECK (length(name) > 0),
                created     TEXT    NOT NULL,
                config_json TEXT    NOT NULL,
                seed        INTEGER NOT NULL,
                status      TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted')),
                stop_reason TEXT,
                finished    TEXT
            )""",
            "CREATE INDEX runs_by_name ON runs (name, id)",
            """
            CREATE TABLE rounds (
                run_id            INTEGER NOT NULL REFERENCES runs (id),
                round             INTEGER NOT NULL CHECK (round >= 1),
                started           TEXT    NOT NULL,
                finished          TEXT    NOT NULL,
                duration_ms       INTEGER NOT NULL,
                completed         INTEGER NOT NULL CHECK (completed IN (0, 1)),
                selected_count    INTEGER NOT NULL,
                succeeded_count   INTEGER NOT NULL,
                selected_sites    TEXT    NOT NULL,
                succeeded_sites   TEXT    NOT NULL,
                fit_metrics       TEXT    NOT NULL,
                eval_metrics      TEXT    NOT NULL,
                checkpoint_path   TEXT,
                checkpoint_sha256 TEXT,
                PRIMARY KEY (run_id, round)
            )""",
            """
            CREATE TABLE site_results (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id       INTEGER NOT NULL,
                round        INTEGER NOT NULL,
                site         TEXT    NOT NULL,
                kind         TEXT    NOT NULL CHECK (kind IN ('fit', 'eval')),
                status       TEXT    NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'rejected')),
                num_examples INTEGER,
                metrics      TEXT,
                reason       TEXT,
                failure_seq  INTEGER,
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            )""",
            "CREATE INDEX site_results_by_round ON site_results (run_id, round)",
            "CREATE INDEX site_results_by_site ON site_results (site, run_id)",
            """
            CREATE TABLE metrics (
                run_id INTEGER NOT NULL,
                round  INTEGER NOT NULL,
                kind   TEXT    NOT NULL CHECK (kind IN ('fit', 'eval')),
                scope  TEXT    NOT NULL,
                name   TEXT    NOT NULL,
                value  REAL,
                PRIMARY KEY (run_id, round, kind, scope, name),
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            )""",
            "CREATE INDEX metrics_by_name ON metrics (run_id, name, scope)",
            """
            CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                time   TEXT    NOT NULL,
                run_id INTEGER REFERENCES runs (id),
                actor  TEXT    NOT NULL,
                event  TEXT    NOT NULL,
                detail TEXT
            )""",
            "CREATE INDEX audit_by_run ON audit_log (run_id, id)",
            "INSERT INTO runs (name, created, config_json, seed, status) VALUES ('heart', '2026-01-01T00:00:00Z', '{}',"
                    + " 7, 'running')",
            "INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES ('2026-01-01T00:00:00Z', 1, 'server',"
                    + " 'run_created', 'run ''heart'' with seed 7')",
            "INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES ('2026-01-01T00:00:01Z', 1, 'cleveland',"
                    + " 'joined', 'from 10.0.0.5')",
            "PRAGMA user_version = 1");

    @Test
    void aVersion1StoreKeepsItsRowsAndChainsTheNewOnesAfterThem() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement()) {
            for (String sql : V1_DDL) {
                st.execute(sql);
            }
        }
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals(List.of("run 'heart' with seed 7", "from 10.0.0.5"),
                    s.auditLog(1).stream().map(AuditEntry::detail).toList());
            s.audit(1, "cleveland", AuditEvent.TASK_SENT, "fit task 'r1-fit-cleveland' of round 1");
            s.audit(1, "cleveland", AuditEvent.RESULT_RECEIVED, "task 'r1-fit-cleveland', 812 bytes");
            ChainReport r = s.verifyAudit(1);
            assertTrue(r.intact(), r.summary());
            assertEquals(4, r.entries());
            assertEquals(2, r.unchained());
            assertEquals(OptionalLong.of(3), r.chainStart());
            assertTrue(r.summary().contains("unchained before entry 3"), r.summary());
        }
        sql("UPDATE audit_log SET detail = 'task ''r1-fit-cleveland'', 1 byte' WHERE id = 4");
        ChainBreak b = firstBreak(verify(1));
        assertEquals(4, b.position());
        assertEquals(ChainBreak.Kind.CONTENT_CHANGED, b.kind());
    }

    @Test
    void aRowWithoutHashesAfterChainedOnesIsABreak() throws Exception {
        long id = heartRun();
        sql("INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES ('2026-03-01T10:00:00Z', " + id
                + ", 'server', 'run_resumed', 'forged')");
        try (RunStore s = RunStore.open(db(), CLOCK)) {
            ChainReport r = s.verifyAudit(id);
            assertFalse(r.intact());
            assertEquals(9, firstBreak(r).position());
            assertEquals(ChainBreak.Kind.BAD_HASH, firstBreak(r).kind());
        }
    }
}
