package org.fedmed.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTraffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's aggregation time and per-site traffic are stored and read back exactly; a store written by the release
 * before them (schema version 3, built here from that release's DDL) still opens, read-write (migrated) and
 * read-only (not migrated), and its rounds read back as "not recorded": aggregation time 0, no traffic.
 */
class RoundTrafficStoreTest {

    @TempDir
    Path dir;

    static RoundRecord measured(int r) {
        return new RoundRecord(r, List.of("a", "b"), List.of("a"),
                List.of(new SiteFailure(r, "b", SiteFailure.Kind.TIMEOUT, "no answer")), true, Map.of("loss", 0.5),
                Map.of("log_loss", 0.4), Map.of("a", Map.of("log_loss", 0.3)), 250, Map.of("a", 10L), Map.of("a", 5L),
                1_234_567L + r, Map.of("a", new SiteTraffic(4_096L * r, 2_100), "b", new SiteTraffic(4_096, 0)));
    }

    @Test
    void aggregationTimeAndTrafficReadBackEqualToTheRecordWritten() {
        try (RunStore s = RunStore.open(dir.resolve("runs.db"))) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, measured(1), null);
            s.recordRound(id, measured(2), null);
            assertEquals(List.of(measured(1), measured(2)), s.rounds(id));
            assertEquals(new SiteTraffic(8_192, 2_100), s.rounds(id).get(1).traffic().get("a"));
            assertEquals(1_234_569L, s.rounds(id).get(1).aggregationNanos());
        }
    }

    @Test
    void discardedRoundsTakeTheirTrafficWithThem() throws Exception {
        Path db = dir.resolve("runs.db");
        try (RunStore s = RunStore.open(db)) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, measured(1), null);
            s.recordRound(id, measured(2), null);
            s.discardRoundsAfter(id, 1, "test");
        }
        assertEquals(2, count(db, "SELECT count(*) FROM site_traffic"), "round 1's two sites only");
    }

    @Test
    void storeOfSchemaVersionThreeOpensAndReadsAggregationAndTrafficAsNotRecorded() throws Exception {
        Path db = dir.resolve("v3.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String sql : schemaV3().split(";\n")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
            st.execute("INSERT INTO runs (id, name, created, config_json, seed, status) VALUES"
                    + " (7, 'heart', '2026-01-01T00:00:00Z', '{}', 5, 'running')");
            st.execute("INSERT INTO rounds VALUES (7, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 1000, 1, 1, 1,"
                    + " '[\"a\"]', '[\"a\"]', '{\"loss\":0.5}', '{}', NULL, NULL)");
        }
        RoundRecord old = new RoundRecord(1, List.of("a"), List.of("a"), List.of(), true, Map.of("loss", 0.5),
                Map.of(), Map.of(), 1000);

        try (RunStore readOnly = RunStore.openReadOnly(db)) {
            assertEquals(3, readOnly.schemaVersion(), "a read-only store is never migrated");
            assertEquals(List.of(old), readOnly.rounds(7));
            assertEquals(0, readOnly.rounds(7).getFirst().aggregationNanos());
            assertEquals(Map.of(), readOnly.rounds(7).getFirst().traffic());
        }
        try (RunStore s = RunStore.open(db)) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals(List.of(old), s.rounds(7), "the old round reads back unchanged, NULL as not recorded");
            s.recordRound(7, measured(2), null);
            assertEquals(List.of(old, measured(2)), s.rounds(7));
        }
        try (RunStore readOnly = RunStore.openReadOnly(db)) {
            assertEquals(List.of(old, measured(2)), readOnly.rounds(7));
        }
    }

    @Test
    void aNegativeAggregationTimeOrByteCountIsRefusedNamingTheField() {
        var time = assertThrows(IllegalArgumentException.class, () -> new RoundRecord(1, List.of(), List.of(),
                List.of(), false, Map.of(), Map.of(), Map.of(), 1, Map.of(), Map.of(), -1, Map.of()));
        assertEquals("aggregationNanos must be >= 0 (0: not recorded), got -1", time.getMessage());
        var bytes = assertThrows(IllegalArgumentException.class, () -> new SiteTraffic(0, -5));
        assertEquals("bytesReceived must be >= 0, got -5", bytes.getMessage());
    }

    private static String schemaV3() throws IOException {
        try (InputStream in = RoundTrafficStoreTest.class.getResourceAsStream("schema-v3.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n");
        }
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             var rs = st.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
