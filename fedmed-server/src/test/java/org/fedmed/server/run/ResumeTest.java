package org.fedmed.server.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

    static final int ROUNDS = 8;
    static final int KILLED_AFTER = 3;

    @TempDir
    Path dir;

    /** Stands for the process dying: the listener lets round k be persisted, then stops the run. */
    static final class Crash extends RuntimeException {
        Crash(int round) {
            super("process killed after round " + round);
        }
    }

    static RunListener killedAfter(RunListener inner, int round) {
        return new RunListener() {
            @Override
            public void siteFailed(SiteFailure failure) {
                inner.siteFailed(failure);
            }

            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                inner.roundFinished(record, global);
                if (record.round() == round) {
                    throw new Crash(round);
                }
            }

            @Override
            public void runFinished(RunResult result) {
                inner.runFinished(result);
            }
        };
    }

    /** The engine records with their timing removed, which is the one field a resume may change. */
    static List<RoundRecord> untimed(Iterable<RoundRecord> records) {
        List<RoundRecord> out = new ArrayList<>();
        for (RoundRecord r : records) {
            out.add(new RoundRecord(r.round(), r.selected(), r.succeeded(), r.failures(), r.completed(),
                    r.fitMetrics(), r.evalMetrics(), r.siteEvalMetrics(), 0));
        }
        return out;
    }

    static void assertBitIdentical(ModelParameters expected, ModelParameters actual) {
        assertEquals(expected.layout(), actual.layout());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.flat()[i]), Float.floatToRawIntBits(actual.flat()[i]),
                    "parameter " + i);
        }
    }

    record Interrupted(RunStore store, long runId, CheckpointDirectory checkpoints) {
    }

    Interrupted runUntilKilled(String name, int keepLast) {
        RunStore store = RunStore.open(dir.resolve("runs.db"));
        long id = store.createRun(name, FakeFederation.configJson(ROUNDS), FakeFederation.SEED);
        CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("checkpoints"), id, keepLast);
        var listener = new PersistingRunListener(store, id, ckpts, "{\"type\":\"linear\"}");
        assertThrows(Crash.class, () -> FakeFederation.run(ROUNDS, FakeFederation.initial(), 1, List.of(),
                killedAfter(listener, KILLED_AFTER)));
        return new Interrupted(store, id, ckpts);
    }

    RunResult resumeAndFinish(Interrupted run, ResumePoint point) {
        var listener = new PersistingRunListener(run.store(), run.runId(), run.checkpoints(), "{\"type\":\"linear\"}");
        return FakeFederation.run(ROUNDS, point.global(), point.firstRound(), point.earlier(), listener);
    }

    @Test
    void runKilledAfterRoundKAndResumedEndsBitIdenticalToAnUninterruptedRun() {
        RunResult uninterrupted = FakeFederation.run(ROUNDS, FakeFederation.initial(), 1, List.of(), null);

        Interrupted run = runUntilKilled("heart", 0);
        try (RunStore store = run.store()) {
            assertEquals(OptionalInt.of(KILLED_AFTER), store.lastRecordedRound(run.runId()));
            assertEquals(RunStatus.RUNNING, store.run(run.runId()).orElseThrow().status());

            ResumePoint point = new RunResumer(store).resume("heart", FallbackPolicy.FAIL).orElseThrow();
            assertEquals(KILLED_AFTER, point.lastRound());
            assertEquals(KILLED_AFTER + 1, point.firstRound());
            assertEquals(List.of(), point.discardedRounds());
            assertEquals(untimed(uninterrupted.rounds().subList(0, KILLED_AFTER)), untimed(point.earlier()));

            RunResult resumed = resumeAndFinish(run, point);
            assertBitIdentical(uninterrupted.finalModel(), resumed.finalModel());

            List<RoundRecord> stored = store.rounds(run.runId());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), stored.stream().map(RoundRecord::round).toList(),
                    "every round stored exactly once");
            assertEquals(untimed(uninterrupted.rounds()), untimed(stored));
            assertTrue(stored.stream().anyMatch(r -> !r.failures().isEmpty()), "site failures are part of the run");
            assertEquals(RunStatus.COMPLETED, store.run(run.runId()).orElseThrow().status());
            List<AuditEvent> events = store.auditLog(run.runId()).stream().map(AuditEntry::event).toList();
            assertTrue(events.contains(AuditEvent.RUN_RESUMED), events.toString());
        }
    }

    @Test
    void checkpointWrittenButRoundNotRecordedIsRunAgainOnResume() throws Exception {
        RunResult uninterrupted = FakeFederation.run(ROUNDS, FakeFederation.initial(), 1, List.of(), null);
        Interrupted run = runUntilKilled("heart", 0);
        try (RunStore store = run.store()) {
            // the process died after writing round 4's checkpoint but before recording round 4
            Path orphan = run.checkpoints().pathFor(KILLED_AFTER + 1);
            Files.write(orphan, new byte[]{1, 2, 3});
            ResumePoint point = new RunResumer(store).resume(run.runId(), FallbackPolicy.FAIL).orElseThrow();
            assertEquals(KILLED_AFTER, point.lastRound());
            RunResult resumed = resumeAndFinish(run, point);
            assertBitIdentical(uninterrupted.finalModel(), resumed.finalModel());
            var ref = store.checkpoint(run.runId(), KILLED_AFTER + 1).orElseThrow();
            assertEquals(orphan, ref.path());
            assertNotEquals(3, Files.size(orphan), "the orphaned file was overwritten by the rerun round");
        }
    }

    @Test
    void corruptCheckpointIsNamedAndNothingIsChangedByDefault() throws Exception {
        Interrupted run = runUntilKilled("heart", 0);
        try (RunStore store = run.store()) {
            Path last = run.checkpoints().pathFor(KILLED_AFTER);
            byte[] b = Files.readAllBytes(last);
            b[b.length - 2] ^= 0x40;
            Files.write(last, b);
            var e = assertThrows(ResumeException.class,
                    () -> new RunResumer(store).resume(run.runId(), FallbackPolicy.FAIL));
            assertTrue(e.getMessage().contains(last.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
            assertTrue(e.getMessage().contains("PREVIOUS_GOOD_ROUND"), e.getMessage());
            assertEquals(OptionalInt.of(KILLED_AFTER), store.lastRecordedRound(run.runId()));
        }
    }

    @Test
    void missingCheckpointFallsBackToThePreviousGoodRoundOnlyWhenAskedAndStillEndsBitIdentical() throws Exception {
        RunResult uninterrupted = FakeFederation.run(ROUNDS, FakeFederation.initial(), 1, List.of(), null);
        Interrupted run = runUntilKilled("heart", 0);
        try (RunStore store = run.store()) {
            Path last = run.checkpoints().pathFor(KILLED_AFTER);
            Files.delete(last);
            var e = assertThrows(ResumeException.class,
                    () -> new RunResumer(store).resume(run.runId(), FallbackPolicy.FAIL));
            assertTrue(e.getMessage().contains(last.toString()) && e.getMessage().contains("missing"), e.getMessage());

            ResumePoint point = new RunResumer(store).resume(run.runId(), FallbackPolicy.PREVIOUS_GOOD_ROUND)
                    .orElseThrow();
            assertEquals(KILLED_AFTER - 1, point.lastRound());
            assertEquals(List.of(KILLED_AFTER), point.discardedRounds());
            assertEquals(OptionalInt.of(KILLED_AFTER - 1), store.lastRecordedRound(run.runId()));
            AuditEntry discard = store.auditLog(run.runId()).stream()
                    .filter(a -> a.event() == AuditEvent.ROUNDS_DISCARDED).findFirst().orElseThrow();
            assertTrue(discard.detail().contains(last.toString()), discard.detail());

            RunResult resumed = resumeAndFinish(run, point);
            assertBitIdentical(uninterrupted.finalModel(), resumed.finalModel());
            assertEquals(untimed(uninterrupted.rounds()), untimed(store.rounds(run.runId())));
        }
    }

    @Test
    void fallbackWithNoIntactCheckpointLeftFailsListingEveryRound() throws Exception {
        Interrupted run = runUntilKilled("heart", 1); // keeps only the last checkpoint
        try (RunStore store = run.store()) {
            assertEquals(List.of(KILLED_AFTER), run.checkpoints().rounds());
            Files.delete(run.checkpoints().pathFor(KILLED_AFTER));
            var e = assertThrows(ResumeException.class,
                    () -> new RunResumer(store).resume(run.runId(), FallbackPolicy.PREVIOUS_GOOD_ROUND));
            for (int r = 1; r <= KILLED_AFTER; r++) {
                assertTrue(e.getMessage().contains("round " + r + ":"), e.getMessage());
            }
            assertEquals(OptionalInt.of(KILLED_AFTER), store.lastRecordedRound(run.runId()), "nothing discarded");
        }
    }

    @Test
    void runWithNoRecordedRoundRestartsFromRoundOne() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("fresh", "{}", 1);
            store.finishRun(id, RunStatus.FAILED, "crashed while connecting sites");
            Optional<ResumePoint> point = new RunResumer(store).resume("fresh", FallbackPolicy.FAIL);
            assertTrue(point.isEmpty());
            assertEquals(RunStatus.RUNNING, store.run(id).orElseThrow().status());
        }
    }

    @Test
    void unknownRunNameIsRefused() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new RunResumer(store).resume("nope", FallbackPolicy.FAIL));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }
}
