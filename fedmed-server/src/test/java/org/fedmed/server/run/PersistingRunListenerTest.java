package org.fedmed.server.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunAbortedException;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.RunStoppedException;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.CheckpointMetadata;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistingRunListenerTest {

    @TempDir
    Path dir;

    @Test
    void everyRoundIsRecordedWithAVerifiableCheckpointOfThatRoundsModel() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("heart", FakeFederation.configJson(4), FakeFederation.SEED);
            CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("ckpt"), id, 0);
            RunResult result = FakeFederation.run(4, FakeFederation.initial(), 1, List.of(),
                    new PersistingRunListener(store, id, ckpts, "{\"type\":\"linear\"}"));

            assertEquals(List.of(1, 2, 3, 4), store.rounds(id).stream().map(RoundRecord::round).toList());
            CheckpointRef last = store.checkpoint(id, 4).orElseThrow();
            SafetensorsFile f = SafetensorsReader.readVerified(last.path(), last.sha256());
            assertEquals(result.finalModel(), f.parameters());
            assertEquals("4", f.metadata().get(CheckpointMetadata.ROUND));
            assertEquals(Long.toString(id), f.metadata().get(CheckpointMetadata.RUN_ID));
            assertEquals("{\"type\":\"linear\"}", f.metadata().get(CheckpointMetadata.MODEL_SPEC));
            assertEquals(List.of(1, 2, 3, 4), ckpts.rounds());

            assertEquals(RunStatus.COMPLETED, store.run(id).orElseThrow().status());
            assertEquals("round_budget", store.run(id).orElseThrow().stopReason().orElseThrow());
        }
    }

    @Test
    void siteFailuresGoToTheAuditLogAsTheyHappen() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("heart", "{}", FakeFederation.SEED);
            RunResult result = FakeFederation.run(6, FakeFederation.initial(), 1, List.of(),
                    new PersistingRunListener(store, id, CheckpointDirectory.forRun(dir, id, 1), null));
            List<String> expected = result.rounds().stream().flatMap(r -> r.failures().stream())
                    .map(f -> f.siteId() + " round " + f.round() + ": " + f.reason()).toList();
            List<String> audited = store.auditLog(id).stream().filter(a -> a.event() == AuditEvent.FAILED)
                    .map(a -> a.actor() + " " + a.detail()).toList();
            assertFalse(expected.isEmpty(), "the fake sites fail in some rounds");
            assertEquals(expected, audited);
            assertTrue(audited.getFirst().contains("lost its connection"), audited.getFirst());
        }
    }

    @Test
    void retentionKeepsOnlyTheLastCheckpoints() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("heart", "{}", FakeFederation.SEED);
            CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("ckpt"), id, 2);
            FakeFederation.run(5, FakeFederation.initial(), 1, List.of(), new PersistingRunListener(store, id, ckpts, null));
            assertEquals(List.of(4, 5), ckpts.rounds());
            assertFalse(Files.exists(store.checkpoint(id, 1).orElseThrow().path()));
        }
    }

    @Test
    void runFailedMarksAnAbortedOrFailedRun() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long a = store.createRun("a", "{}", 1);
            long b = store.createRun("b", "{}", 1);
            new PersistingRunListener(store, a, CheckpointDirectory.forRun(dir, a, 0), null)
                    .runFailed(new RunAbortedException("run abandoned after 3 rounds"));
            new PersistingRunListener(store, b, CheckpointDirectory.forRun(dir, b, 0), null)
                    .runFailed(new IllegalStateException("out of memory"));
            assertEquals(RunStatus.ABORTED, store.run(a).orElseThrow().status());
            assertEquals("run abandoned after 3 rounds", store.run(a).orElseThrow().stopReason().orElseThrow());
            assertEquals(RunStatus.FAILED, store.run(b).orElseThrow().status());
        }
    }

    @Test
    void runFailedMarksAStoppedRunStoppedWithTheEnginesReasonAndAuditsTheStop() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("heart", "{}", 1);
            new PersistingRunListener(store, id, CheckpointDirectory.forRun(dir, id, 0), null)
                    .runFailed(new RunStoppedException("SIGTERM during round 3, which was abandoned", 2, null));
            assertEquals(RunStatus.STOPPED, store.run(id).orElseThrow().status());
            assertEquals("after round 2 (SIGTERM during round 3, which was abandoned)",
                    store.run(id).orElseThrow().stopReason().orElseThrow());
            assertEquals(AuditEvent.RUN_STOPPED, store.auditLog(id).getLast().event());
            assertEquals("stopped: after round 2 (SIGTERM during round 3, which was abandoned)",
                    store.auditLog(id).getLast().detail());
        }
    }

    @Test
    void checkpointThatCannotBeWrittenStopsTheRunBeforeTheRoundIsRecorded() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("heart", "{}", FakeFederation.SEED);
            Path blocked = dir.resolve("blocked");
            Files.writeString(blocked, "a file where the checkpoint folder should be");
            var listener = new PersistingRunListener(store, id, new CheckpointDirectory(blocked, 0), null);
            var e = assertThrows(java.io.UncheckedIOException.class,
                    () -> FakeFederation.run(2, FakeFederation.initial(), 1, List.of(), listener));
            assertTrue(e.getMessage().contains("round 1") && e.getMessage().contains(blocked.toString()),
                    e.getMessage());
            assertTrue(store.rounds(id).isEmpty());
        }
    }
}
