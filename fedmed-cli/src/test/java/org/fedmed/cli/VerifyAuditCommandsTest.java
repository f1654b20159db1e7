package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.deploy.site.JsonLinesAuditLog;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmed runs --verify-audit} and {@code fedmed site --verify-audit} exit 0 on an intact chain and 4 on a
 * broken one, naming the first broken entry; the site command only reads its logs.
 */
class VerifyAuditCommandsTest {

    static FedmedCommandTest.Run run(String... args) {
        return FedmedCommandTest.run(args);
    }

    /** A store with runs 'heart' (entries 1, 2, 4) and 'lung' (entry 3). */
    static Path store(Path tmp) {
        Path db = tmp.resolve("runs.db");
        try (RunStore store = RunStore.open(db)) {
            long heart = store.createRun("heart", "{}", 42);
            store.audit(heart, "cleveland", AuditEvent.JOINED, "from /127.0.0.1:5000");
            store.createRun("lung", "{}", 7);
            store.audit(heart, "cleveland", AuditEvent.RESULT_RECEIVED, "task 'r1-fit-cleveland', 812 bytes");
        }
        return db;
    }

    @Test
    void runsVerifyAuditExitsZeroOnIntactChainsAndFourNamingTheEditedEntry(@TempDir Path tmp) throws Exception {
        Path db = store(tmp);
        var intact = run("runs", "--store", db.toString(), "--verify-audit");
        assertEquals(0, intact.exit(), intact.err() + intact.out());
        assertTrue(intact.out().contains("run 1 'heart': intact: 3 entries") && intact.out().contains(
                "run 2 'lung': intact: 1 entry"), intact.out());

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE audit_log SET detail = 'from /10.6.6.6:5000' WHERE id = 2");
        }
        var broken = run("runs", "--store", db.toString(), "--verify-audit");
        assertEquals(AuditVerdict.BROKEN, broken.exit(), broken.err() + broken.out());
        assertEquals(4, AuditVerdict.BROKEN, "the documented status");
        assertTrue(broken.out().contains("run 1 'heart': broken at entry 2 (content changed)"), broken.out());
        assertTrue(broken.out().contains("run 2 'lung': intact"), broken.out());

        var onlyLung = run("runs", "--store", db.toString(), "--verify-audit", "--run", "lung");
        assertEquals(0, onlyLung.exit(), onlyLung.out());
        assertTrue(!onlyLung.out().contains("heart"), onlyLung.out());
    }

    @Test
    void runsVerifyAuditRefusesAnUnknownRunAndARunWithoutVerify(@TempDir Path tmp) {
        Path db = store(tmp);
        var unknown = run("runs", "--store", db.toString(), "--verify-audit", "--run", "kidney");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no run named 'kidney'"), unknown.err());
        var alone = run("runs", "--store", db.toString(), "--run", "heart");
        assertEquals(2, alone.exit());
        assertTrue(alone.err().contains("--run goes with --verify-audit"), alone.err());
    }

    static Path siteConfig(Path tmp) throws Exception {
        Path cfg = tmp.resolve("site.yaml");
        Files.writeString(cfg, "kit: no-such-kit\ndata: {dataset: heart-disease}\nallow: {strategies: [fedavg],"
                + " model_specs: [{type: logistic}]}\naudit_log: logs/audit.jsonl\n");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(tmp.resolve("logs/audit.jsonl"))) {
            for (int round = 1; round <= 3; round++) {
                log.record(new AuditEntry(Instant.parse("2026-03-01T10:00:00Z"), "cleveland", "r" + round
                        + "-fit-cleveland", TaskKind.FIT, round, AuditEntry.Event.SENT, "", 100, 50, List.of("loss")));
            }
        }
        return cfg;
    }

    @Test
    void siteVerifyAuditOnlyReadsTheLogAndNamesTheFirstBrokenLine(@TempDir Path tmp) throws Exception {
        Path cfg = siteConfig(tmp);
        Path log = tmp.resolve("logs/audit.jsonl");
        var intact = run("site", "--config", cfg.toString(), "--verify-audit");
        assertEquals(0, intact.exit(), "a site start would fail on its missing kit: " + intact.err());
        assertTrue(intact.out().contains("audit log " + log.toAbsolutePath() + ": intact: 3 entries"), intact.out());

        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.remove(1);
        Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        long size = Files.size(log);
        var broken = run("site", "--config", cfg.toString(), "--verify-audit");
        assertEquals(AuditVerdict.BROKEN, broken.exit(), broken.err() + broken.out());
        assertTrue(broken.out().contains("broken at line 2 (entry missing)"), broken.out());
        assertEquals(size, Files.size(log), "verification writes nothing");
    }

    @Test
    void siteVerifyAuditOfAMissingLogNamesItWithStatusTwo(@TempDir Path tmp) throws Exception {
        Path cfg = siteConfig(tmp);
        Files.delete(tmp.resolve("logs/audit.jsonl"));
        var r = run("site", "--config", cfg.toString(), "--verify-audit");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("audit.jsonl") && r.err().contains("does not exist"), r.err());
    }
}
