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

    /** Rows of a store at schema version 1, as an earlier fedmed wrote them (before the audit chain). */
    static final List<String> V1_ROWS = List.of(
            "INSERT INTO runs (name, created, config_json, seed, status) VALUES ('heart', '2026-01-01T00:00:00Z', '{}',"
                    + " 7, 'running')",
            "INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES ('2026-01-01T00:00:00Z', 1, 'server',"
                    + " 'run_created', 'run ''heart'' with seed 7')",
            "INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES ('2026-01-01T00:00:01Z', 1, 'cleveland',"
                    + " 'joined', 'from 10.0.0.5')");

    @Test
    void aVersion1StoreKeepsItsRowsAndChainsTheNewOnesAfterThem() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement st = c.createStatement()) {
            StoreSchema.migrate(c, db(), 1);
            for (String sql : V1_ROWS) {
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
