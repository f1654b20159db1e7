package org.fedmed.server.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    Path dir;

    static final String SHA = "ab".repeat(32);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    RunStore open() {
        return RunStore.open(dir.resolve("runs.db"), CLOCK);
    }

    /** A round in which site c fails to train, site b times out in evaluation, and one metric is NaN. */
    static RoundRecord round(int r) {
        return new RoundRecord(r, List.of("a", "b", "c"), List.of("a", "b"),
                List.of(new SiteFailure(r, "c", SiteFailure.Kind.ERROR, "disk full"),
                        new SiteFailure(r, "b", SiteFailure.Kind.TIMEOUT, "no answer within 300 ms")),
                true, Map.of("loss", 0.5 / r), Map.of("log_loss", 0.7 / r, "auc", Double.NaN),
                Map.of("a", Map.of("log_loss", 0.6 / r), "c", Map.of("log_loss", 0.8 / r, "auc", 0.9)), 120 + r);
    }

    CheckpointRef ckpt(int round) {
        return new CheckpointRef(dir.resolve("ckpt").resolve("round-" + round + ".safetensors"), SHA);
    }

    @Test
    void newStoreHasTheCurrentSchemaInWalModeWithForeignKeysOn() {
        try (RunStore s = open()) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals("wal", s.pragma("journal_mode"));
            assertEquals("1", s.pragma("foreign_keys"));
        }
    }

    @Test
    void recordedRoundsReadBackEqualToTheEngineRecords() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{\"rounds\":3}", 42);
            for (int r = 1; r <= 3; r++) {
                s.recordRound(id, round(r), ckpt(r));
            }
            assertEquals(List.of(round(1), round(2), round(3)), s.rounds(id));
            assertEquals(OptionalInt.of(3), s.lastRecordedRound(id));
            assertEquals(ckpt(2).path().toAbsolutePath(), s.checkpoint(id, 2).orElseThrow().path());
            assertEquals(SHA, s.checkpoint(id, 2).orElseThrow().sha256());
        }
    }

    @Test
    void failuresAreStoredAsFitOrEvalSiteResultsWithTheirStatus() throws Exception {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), null);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT site, kind, status, reason FROM site_results ORDER BY id")) {
            StringBuilder rows = new StringBuilder();
            while (rs.next()) {
                rows.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                        .append(' ').append(rs.getString(4)).append('\n');
            }
            assertEquals("""
                    a fit ok null
                    b fit ok null
                    c fit error disk full
                    b eval timeout no answer within 300 ms
                    a eval ok null
                    c eval ok null
                    """, rows.toString());
        }
    }

    @Test
    void claimedCountsAreStoredPerSiteAndRoundAndReadBack() throws Exception {
        RoundRecord claimed = new RoundRecord(1, List.of("a", "liar"), List.of("a"),
                List.of(new SiteFailure(1, "liar", SiteFailure.Kind.REJECTED, "claims too many")), true,
                Map.of(), Map.of(), Map.of("a", Map.of("roc_auc", 0.9)), 7, Map.of("a", 227L, "liar", 1_000_000_000L),
                Map.of("a", 76L));
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, claimed, ckpt(1));
            assertEquals(List.of(claimed), s.rounds(id));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runs.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT site, kind, status, num_examples FROM site_results ORDER BY id")) {
            StringBuilder rows = new StringBuilder();
            while (rs.next()) {
                rows.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                        .append(' ').append(rs.getString(4)).append('\n');
            }
            assertEquals("""
                    a fit ok 227
                    liar fit rejected 1000000000
                    a eval ok 76
                    """, rows.toString());
        }
    }

    @Test
    void failureKindsFollowTheEngineOrderEvenWhenASiteFailsBothFitAndEval() {
        RoundRecord r = new RoundRecord(1, List.of("a", "b"), List.of("b"),
                List.of(new SiteFailure(1, "a", SiteFailure.Kind.REJECTED, "NaN"),
                        new SiteFailure(1, "a", SiteFailure.Kind.ERROR, "eval crashed"),
                        new SiteFailure(1, "b", SiteFailure.Kind.ERROR, "eval crashed")),
                true, Map.of(), Map.of(), Map.of(), 1);
        assertEquals(List.of(TaskKind.FIT, TaskKind.EVAL, TaskKind.EVAL), RoundRows.failureKinds(r));
    }

    @Test
    void metricsAreQueryablePerScopeWithNaNKept() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            for (int r = 1; r <= 2; r++) {
                s.recordRound(id, round(r), null);
            }
            List<MetricPoint> fed = s.metricSeries(id, TaskKind.EVAL, "federated", "log_loss");
            assertEquals(List.of(new MetricPoint(1, 0.7), new MetricPoint(2, 0.35)), fed);
            assertEquals(List.of(new MetricPoint(1, 0.8), new MetricPoint(2, 0.4)),
                    s.metricSeries(id, TaskKind.EVAL, "c", "log_loss"));
            assertTrue(Double.isNaN(s.metricSeries(id, TaskKind.EVAL, "federated", "auc").getFirst().value()));
            assertEquals(List.of(new MetricPoint(1, 0.5), new MetricPoint(2, 0.25)),
                    s.metricSeries(id, TaskKind.FIT, "federated", "loss"));
        }
    }

    @Test
    void roundRecordedTwiceIsRefusedAndTheFirstIsKept() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), ckpt(1));
            RoundRecord other = new RoundRecord(1, List.of("z"), List.of("z"), List.of(), true, Map.of(), Map.of(),
                    Map.of(), 5);
            var e = assertThrows(IllegalStateException.class, () -> s.recordRound(id, other, ckpt(9)));
            assertTrue(e.getMessage().contains("already has round 1"), e.getMessage());
            assertEquals(List.of(round(1)), s.rounds(id));
            assertEquals(ckpt(1).path().toAbsolutePath(), s.checkpoint(id, 1).orElseThrow().path());
        }
    }

    @Test
    void roundThatSkipsAheadIsRefused() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), null);
            var e = assertThrows(IllegalStateException.class, () -> s.recordRound(id, round(3), null));
            assertTrue(e.getMessage().contains("before round 2"), e.getMessage());
            assertEquals(OptionalInt.of(1), s.lastRecordedRound(id));
        }
    }

    @Test
    void unknownRunIsRefusedByName() {
        try (RunStore s = open()) {
            var e = assertThrows(IllegalArgumentException.class, () -> s.recordRound(99, round(1), null));
            assertTrue(e.getMessage().contains("no run with id 99"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.rounds(99));
            assertThrows(IllegalArgumentException.class, () -> s.audit(99, "a", AuditEvent.JOINED, "x"));
            assertTrue(s.run(99).isEmpty());
        }
    }

    @Test
    void aRoundThatFailsMidTransactionLeavesNoTrace() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            // the site_results insert fails (site is NOT NULL) after the rounds row was written
            RoundRecord broken = new RoundRecord(1, List.of("a"), List.of(),
                    List.of(new SiteFailure(1, null, SiteFailure.Kind.ERROR, "?")), false, Map.of("loss", 1.0),
                    Map.of(), Map.of(), 1);
            assertThrows(RunStoreException.class, () -> s.recordRound(id, broken, ckpt(1)));
            assertEquals(List.of(), s.rounds(id));
            assertEquals(OptionalInt.empty(), s.lastRecordedRound(id));
            assertEquals(List.of(), s.metricSeries(id, TaskKind.FIT, "federated", "loss"));
            s.recordRound(id, round(1), ckpt(1));
            assertEquals(List.of(round(1)), s.rounds(id));
        }
    }

    @Test
    void siteNamedLikeTheFederatedScopeIsRefusedBeforeAnythingIsWritten() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            RoundRecord r = new RoundRecord(1, List.of("federated"), List.of("federated"), List.of(), true, Map.of(),
                    Map.of(), Map.of("federated", Map.of("acc", 1.0)), 1);
            var e = assertThrows(IllegalArgumentException.class, () -> s.recordRound(id, r, null));
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
            assertEquals(List.of(), s.rounds(id));
        }
    }

    @Test
    void roundsUpToReadsEveryRoundPageByPageAndNamesTheFirstOneMissing() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            for (int r = 1; r <= 7; r++) {
                s.recordRound(id, round(r), null);
            }
            List<RoundRecord> expected = java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(RunStoreTest::round)
                    .toList();
            Iterable<RoundRecord> pages = s.roundsUpTo(id, 7, 3);
            List<RoundRecord> first = new java.util.ArrayList<>();
            pages.forEach(first::add);
            assertEquals(expected, first, "pages of 3, 3 and 1");
            List<RoundRecord> again = new java.util.ArrayList<>();
            pages.forEach(again::add);
            assertEquals(expected, again, "each iteration reads the store again");
            List<RoundRecord> five = new java.util.ArrayList<>();
            s.roundsUpTo(id, 5, 2).forEach(five::add);
            assertEquals(expected.subList(0, 5), five);
            assertFalse(s.roundsUpTo(id, 0, 2).iterator().hasNext());

            s.discardRoundsAfter(id, 4, "test");
            var it = s.roundsUpTo(id, 7, 3).iterator();
            for (int r = 1; r <= 4; r++) {
                assertEquals(r, it.next().round());
            }
            var e = assertThrows(IllegalStateException.class, it::next);
            assertEquals("run " + id + ": round 5 of 1..7 is not recorded in " + s.database(), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.roundsUpTo(id, 7, 0));
        }
    }

    @Test
    void finishedRunTakesNoMoreRoundsUntilReopened() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), null);
            s.finishRun(id, RunStatus.COMPLETED, "round_budget");
            RunInfo info = s.run(id).orElseThrow();
            assertEquals(RunStatus.COMPLETED, info.status());
            assertEquals("round_budget", info.stopReason().orElseThrow());
            assertEquals(CLOCK.instant(), info.finished().orElseThrow());
            var ended = assertThrows(IllegalStateException.class, () -> s.recordRound(id, round(2), null));
            assertEquals("run " + id + " ('heart') is completed; resume it before recording round 2",
                    ended.getMessage());
            var unknown = assertThrows(IllegalArgumentException.class, () -> s.recordRound(id + 1, round(1), null));
            assertTrue(unknown.getMessage().startsWith("no run with id " + (id + 1) + " in "), unknown.getMessage());
            assertThrows(IllegalStateException.class, () -> s.finishRun(id, RunStatus.FAILED, "again"));
            s.reopenRun(id, "more rounds");
            assertEquals(RunStatus.RUNNING, s.run(id).orElseThrow().status());
            s.recordRound(id, round(2), null);
            assertEquals(2, s.rounds(id).size());
        }
    }

    @Test
    void latestRunIsTheNewestWithThatName() {
        try (RunStore s = open()) {
            long first = s.createRun("heart", "{\"v\":1}", 1);
            long other = s.createRun("pima", "{}", 2);
            long second = s.createRun("heart", "{\"v\":2}", 3);
            RunInfo info = s.latestRun("heart").orElseThrow();
            assertEquals(second, info.id());
            assertEquals("{\"v\":2}", info.configJson());
            assertEquals(3, info.seed());
            assertEquals(CLOCK.instant(), info.created());
            assertEquals(RunStatus.RUNNING, info.status());
            assertTrue(s.latestRun("nope").isEmpty());
            assertEquals(List.of(first, other, second), s.runs().stream().map(RunInfo::id).toList());
        }
    }

    @Test
    void configThatIsNotAJsonObjectIsRefused() {
        try (RunStore s = open()) {
            var e = assertThrows(IllegalArgumentException.class, () -> s.createRun("x", "{rounds: 3", 1));
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.createRun("x", "[1]", 1));
            assertThrows(IllegalArgumentException.class, () -> s.createRun(" ", "{}", 1));
            assertEquals(List.of(), s.runs());
        }
    }

    @Test
    void auditLogKeepsEntriesInOrderWithOrWithoutARun() {
        try (RunStore s = open()) {
            s.audit("hospital-a", AuditEvent.JOINED, "from 10.0.0.5");
            long id = s.createRun("heart", "{}", 1);
            s.audit(id, "server", AuditEvent.TASK_SENT, "r1-fit-hospital-a");
            s.audit(id, "hospital-a", AuditEvent.RESULT_RECEIVED, "r1-fit-hospital-a");
            List<AuditEntry> all = s.auditLog();
            assertEquals(List.of(AuditEvent.JOINED, AuditEvent.RUN_CREATED, AuditEvent.TASK_SENT,
                    AuditEvent.RESULT_RECEIVED), all.stream().map(AuditEntry::event).toList());
            assertEquals(OptionalLong.empty(), all.getFirst().runId());
            List<AuditEntry> run = s.auditLog(id);
            assertEquals(3, run.size());
            assertEquals("hospital-a", run.getLast().actor());
            assertEquals(OptionalLong.of(id), run.getLast().runId());
            assertEquals(CLOCK.instant(), run.getLast().time());
        }
    }

    @Test
    void aBatchOfAuditEntriesIsAppendedInOrderToOneIntactChainOrNotAtAll() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.audit(id, List.of(new NewAuditEntry("server", AuditEvent.TASK_SENT, "r1-fit-a"),
                    new NewAuditEntry("a", AuditEvent.RESULT_RECEIVED, "r1-fit-a"),
                    new NewAuditEntry("server", AuditEvent.TASK_SENT, "r1-eval-a")));
            s.audit(List.of(new NewAuditEntry("b", AuditEvent.JOINED, "from 10.0.0.6")));
            assertEquals(List.of("r1-fit-a", "r1-fit-a", "r1-eval-a"),
                    s.auditLog(id).stream().skip(1).map(AuditEntry::detail).toList());
            assertTrue(s.verifyAudit(id).intact(), s.verifyAudit(id).summary());
            assertEquals("from 10.0.0.6", s.auditLog().getLast().detail());

            var e = assertThrows(RuntimeException.class, () -> s.audit(id + 7,
                    List.of(new NewAuditEntry("a", AuditEvent.LEFT, "gone"))));
            assertTrue(e.getMessage().contains(Long.toString(id + 7)), e.getMessage());
            assertEquals(5, s.auditLog().size(), "nothing of the refused batch was written");
        }
        var blank = assertThrows(IllegalArgumentException.class, () -> new NewAuditEntry(" ", AuditEvent.LEFT, "x"));
        assertTrue(blank.getMessage().contains("actor"), blank.getMessage());
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        long id;
        try (RunStore s = open()) {
            id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), ckpt(1));
        }
        try (RunStore s = open()) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals(List.of(round(1)), s.rounds(id));
            s.recordRound(id, round(2), ckpt(2));
            assertEquals(OptionalInt.of(2), s.lastRecordedRound(id));
        }
    }

    @Test
    void checkpointPathsFollowTheFolderWhenItIsMoved() throws Exception {
        Path a = dir.resolve("a");
        long id;
        try (RunStore s = RunStore.open(a.resolve("runs.db"), CLOCK)) {
            id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), new CheckpointRef(a.resolve("ckpt/run-1/round-0001.safetensors"), SHA));
        }
        Path b = dir.resolve("b");
        Files.move(a, b);
        try (RunStore s = RunStore.open(b.resolve("runs.db"), CLOCK)) {
            assertEquals(b.resolve("ckpt/run-1/round-0001.safetensors").toAbsolutePath(),
                    s.checkpoint(id, 1).orElseThrow().path());
        }
    }

    @Test
    void databaseFromANewerSchemaIsRefused() throws Exception {
        Path db = dir.resolve("future.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        var e = assertThrows(RunStoreException.class, () -> RunStore.open(db));
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains(db.toString()),
                e.getMessage());
    }

    @Test
    void stoppedRunIsAuditedAsAStopAndCanBeReopened() {
        try (RunStore s = open()) {
            long id = s.createRun("heart", "{}", 1);
            s.recordRound(id, round(1), null);
            s.finishRun(id, RunStatus.STOPPED, "SIGTERM after round 1");
            RunInfo info = s.run(id).orElseThrow();
            assertEquals(RunStatus.STOPPED, info.status());
            assertEquals("SIGTERM after round 1", info.stopReason().orElseThrow());
            assertThrows(IllegalStateException.class, () -> s.recordRound(id, round(2), null));
            AuditEntry last = s.auditLog(id).getLast();
            assertEquals(AuditEvent.RUN_STOPPED, last.event());
            assertEquals("stopped: SIGTERM after round 1", last.detail());
            s.reopenRun(id, "resuming after round 1");
            s.recordRound(id, round(2), null);
            assertEquals(OptionalInt.of(2), s.lastRecordedRound(id));
        }
    }

    @Test
    void storeOfSchemaVersionOneIsMigratedKeepingEveryRowAndItsForeignKeys() throws Exception {
        Path db = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            StoreSchema.migrate(c, db, 1);
            st.execute("INSERT INTO runs (id, name, created, config_json, seed, status) VALUES"
                    + " (7, 'heart', '2026-01-01T00:00:00Z', '{}', 5, 'running')");
            st.execute("INSERT INTO rounds VALUES (7, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 1000, 1, 1, 1,"
                    + " '[\"a\"]', '[\"a\"]', '{}', '{}', NULL, NULL)");
            st.execute("INSERT INTO audit_log (time, run_id, actor, event, detail) VALUES"
                    + " ('2026-01-01T00:00:00Z', 7, 'server', 'run_created', 'old entry')");
        }
        try (RunStore s = RunStore.open(db, CLOCK)) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals("1", s.pragma("foreign_keys"), "foreign keys are enforced again after the rebuild");
            RunInfo run = s.latestRun("heart").orElseThrow();
            assertEquals(7, run.id());
            assertEquals(RunStatus.RUNNING, run.status());
            assertEquals(5, run.seed());
            assertEquals(OptionalInt.of(1), s.lastRecordedRound(7));
            assertEquals("old entry", s.auditLog(7).getFirst().detail());
            s.finishRun(7, RunStatus.STOPPED, "SIGTERM after round 1");
            assertEquals(RunStatus.STOPPED, s.run(7).orElseThrow().status());
            assertEquals(8, s.createRun("next", "{}", 1), "ids go on after the migrated ones");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            assertThrows(java.sql.SQLException.class, () -> st.execute("INSERT INTO rounds VALUES (99, 1,"
                    + " '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 1, 1, 0, 0, '[]', '[]', '{}', '{}', NULL, NULL)"),
                    "rounds still reference runs");
            assertThrows(java.sql.SQLException.class, () -> st.execute("UPDATE runs SET status = 'paused'"),
                    "the status is still checked");
        }
    }

    @Test
    void storesOpenedByTwoConnectionsAtOnceAreMigratedOnceWithoutError() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            Path db = dir.resolve("race-" + attempt + ".db");
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.Callable<Integer> open = () -> {
                start.await();
                try (RunStore s = RunStore.open(db)) {
                    return s.schemaVersion();
                }
            };
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                var a = pool.submit(open);
                var b = pool.submit(open);
                assertEquals(StoreSchema.CURRENT_VERSION, a.get());
                assertEquals(StoreSchema.CURRENT_VERSION, b.get());
            }
        }
    }

    @Test
    void analyticsResultsAndExportsReadBackAsRecorded() {
        try (RunStore s = open()) {
            long run = s.createRun("heart", "{}", 1);
            s.recordRound(run, round(1), ckpt(1));
            long first = s.recordAnalytics("heart-disease", "{\"dataset\":\"heart-disease\",\"k\":5}");
            long second = s.recordAnalytics("heart-disease", "{\"k\":10}");
            assertTrue(second > first);
            List<AnalyticsRecord> analytics = s.analytics();
            assertEquals(2, analytics.size());
            assertEquals("{\"dataset\":\"heart-disease\",\"k\":5}", analytics.getFirst().resultJson());
            assertEquals(CLOCK.instant(), analytics.getFirst().created());
            var bad = assertThrows(IllegalArgumentException.class, () -> s.recordAnalytics("heart-disease", "[1]"));
            assertTrue(bad.getMessage().contains("analytics result of 'heart-disease'"), bad.getMessage());

            Path model = dir.resolve("exports").resolve("model.safetensors");
            ExportRecord e = s.recordExport(run, 1, model, SHA);
            assertEquals(model.toAbsolutePath().normalize(), e.path());
            assertEquals(List.of(e), s.exports());
            assertThrows(IllegalArgumentException.class, () -> s.recordExport(run + 1, 1, model, SHA), "unknown run");
            assertThrows(IllegalArgumentException.class, () -> s.recordExport(run, 1, model, "xyz"), "bad digest");
            assertEquals(1, s.exports().size(), "a refused export leaves nothing behind");
            assertEquals(java.util.Map.of(1, ckpt(1).path().toAbsolutePath().normalize()),
                    java.util.Map.of(1, s.checkpoints(run).get(1).path()));
        }
    }

    @Test
    void siteContactsAreReplacedPerSiteAndKeptPerRun() {
        try (RunStore s = open()) {
            long one = s.createRun("heart", "{}", 1);
            long two = s.createRun("heart", "{}", 2);
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            s.recordContacts(one, Map.of("a", t0, "b", t0.plusSeconds(1)));
            s.recordContacts(one, Map.of("b", t0.plusSeconds(9)));
            s.recordContacts(two, Map.of("a", t0.plusSeconds(100)));
            assertEquals(Map.of("a", t0, "b", t0.plusSeconds(9)), s.contacts(one), "b replaced, a kept");
            assertEquals(Map.of("a", t0.plusSeconds(100)), s.contacts(two));
            assertEquals(Map.of(), s.contacts(two + 1), "an unknown run has none");
            var unknown = assertThrows(IllegalArgumentException.class,
                    () -> s.recordContacts(two + 1, Map.of("a", t0)));
            assertTrue(unknown.getMessage().contains(Long.toString(two + 1)), unknown.getMessage());
            var blank = assertThrows(IllegalArgumentException.class, () -> s.recordContacts(one, Map.of(" ", t0)));
            assertTrue(blank.getMessage().contains("site id"), blank.getMessage());
        }
    }

    @Test
    void storeOfSchemaVersionFiveReadsNoContactsReadOnlyAndGainsTheTableWhenOpened() throws Exception {
        Path db = dir.resolve("v5.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            StoreSchema.migrate(c, db, 5);
            st.execute("INSERT INTO runs (id, name, created, config_json, seed, status) VALUES"
                    + " (4, 'heart', '2026-01-01T00:00:00Z', '{}', 5, 'completed')");
        }
        try (RunStore ro = RunStore.openReadOnly(db)) {
            assertEquals(5, ro.schemaVersion());
            assertEquals(Map.of(), ro.contacts(4));
        }
        try (RunStore s = RunStore.open(db, CLOCK)) {
            assertEquals(6, s.schemaVersion());
            s.recordContacts(4, Map.of("a", CLOCK.instant()));
            assertEquals(Map.of("a", CLOCK.instant()), s.contacts(4));
        }
    }

    @Test
    void storeOfSchemaVersionThreeStaysReadableAndGainsTheAnalyticsAndExportTables() throws Exception {
        Path db = dir.resolve("v3.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            StoreSchema.migrate(c, db, 3);
            st.execute("INSERT INTO runs (id, name, created, config_json, seed, status) VALUES"
                    + " (3, 'heart', '2026-01-01T00:00:00Z', '{}', 5, 'completed')");
        }
        try (RunStore ro = RunStore.openReadOnly(db)) {
            assertEquals(3, ro.schemaVersion(), "a read-only open never migrates");
            assertEquals(List.of(), ro.analytics());
            assertEquals(List.of(), ro.exports());
            assertEquals("heart", ro.run(3).orElseThrow().name());
        }
        try (RunStore s = RunStore.open(db, CLOCK)) {
            assertEquals(StoreSchema.CURRENT_VERSION, s.schemaVersion());
            assertEquals("heart", s.run(3).orElseThrow().name(), "rows kept");
            s.recordAnalytics("heart-disease", "{}");
            s.recordExport(3, 1, dir.resolve("m.safetensors"), SHA);
            assertEquals(1, s.analytics().size());
            assertEquals(1, s.exports().size());
        }
    }

    @Test
    void roundsAndAuditEntriesAfterAPointAreTheTailOfTheFullRead() {
        try (RunStore s = open()) {
            long run = s.createRun("heart", "{}", 1);
            for (int r = 1; r <= 4; r++) {
                RoundRecord plain = round(r);
                s.recordRound(run, new RoundRecord(r, plain.selected(), plain.succeeded(), plain.failures(), true,
                        plain.fitMetrics(), plain.evalMetrics(), plain.siteEvalMetrics(), plain.durationMillis(),
                        Map.of("a", 10L), Map.of(), 1000L * r, Map.of("a", new org.fedmed.core.engine.SiteTraffic(
                                100L * r, 7L * r))), null);
                s.audit(run, "a", AuditEvent.FAILED, "round " + r);
            }
            List<RoundRecord> all = s.rounds(run);
            assertEquals(all.subList(2, 4), s.roundsAfter(run, 2));
            assertEquals(300L, s.roundsAfter(run, 2).getFirst().traffic().get("a").bytesSent(), "its own traffic");
            assertEquals(List.of(), s.roundsAfter(run, 4));
            List<AuditEntry> log = s.auditLog(run);
            long mid = log.get(2).id();
            assertEquals(log.subList(3, log.size()), s.auditLogAfter(run, mid));
            assertEquals(log, s.auditLogAfter(run, 0));
        }
    }
}
