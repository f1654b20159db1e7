package org.fedmed.server.checkpoint;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.server.FedmedVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {

    @TempDir
    Path root;

    static ModelParameters model(float v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{v, -v})));
    }

    @Test
    void checkpointIsNamedAfterItsRoundAndCarriesRunRoundVersionAndSpec() throws Exception {
        CheckpointDirectory dir = CheckpointDirectory.forRun(root, 12, 0);
        CheckpointRef ref = dir.write(12, 7, model(1.5f), "{\"type\":\"logistic\"}");
        assertEquals(root.resolve("run-12").resolve("round-0007.safetensors").toAbsolutePath(), ref.path());
        SafetensorsFile f = SafetensorsReader.readVerified(ref.path(), ref.sha256());
        assertEquals(model(1.5f), f.parameters());
        assertEquals("12", f.metadata().get(CheckpointMetadata.RUN_ID));
        assertEquals("7", f.metadata().get(CheckpointMetadata.ROUND));
        assertEquals(FedmedVersion.current(), f.metadata().get(CheckpointMetadata.VERSION));
        assertEquals("{\"type\":\"logistic\"}", f.metadata().get(CheckpointMetadata.MODEL_SPEC));
        assertFalse(FedmedVersion.current().contains("${"), "the version resource is filtered at build time");
    }

    @Test
    void withoutModelSpecTheMetadataHasNoSpecKey() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 0);
        CheckpointRef ref = dir.write(1, 1, model(1), null);
        assertFalse(SafetensorsReader.read(ref.path()).metadata().containsKey(CheckpointMetadata.MODEL_SPEC));
    }

    @Test
    void keepLastKeepsOnlyTheNewestRounds() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        for (int r = 1; r <= 5; r++) {
            dir.write(1, r, model(r), null);
            dir.prune(r);
        }
        assertEquals(List.of(4, 5), dir.rounds());
    }

    @Test
    void keepLastZeroKeepsEveryRound() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 0);
        for (int r = 1; r <= 4; r++) {
            dir.write(1, r, model(r), null);
            assertEquals(List.of(), dir.prune(r));
        }
        assertEquals(List.of(1, 2, 3, 4), dir.rounds());
    }

    @Test
    void pruneKeepsFilesOfLaterRoundsAndRemovesOrphanedTemporaryFiles() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 1);
        for (int r = 1; r <= 4; r++) {
            dir.write(1, r, model(r), null);
        }
        Path orphan = root.resolve(".round-0002.safetensors.123456.tmp");
        Files.write(orphan, new byte[]{1});
        Path unrelated = root.resolve("notes.txt");
        Files.writeString(unrelated, "keep me");
        // resumed from round 2: rounds 3 and 4 on disk belong to rounds that will run again
        List<Path> deleted = dir.prune(2);
        assertTrue(deleted.contains(orphan));
        assertFalse(Files.exists(orphan));
        assertEquals(List.of(2, 3, 4), dir.rounds());
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void eachPruneAfterTheFirstDeletesExactlyTheRoundThatLeftTheWindowWithItsStrategyState() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        var state = new org.fedmed.core.strategy.StrategyState(java.util.Map.of("server_optimizer.m", new float[]{1f}), java.util.Map.of());
        for (int r = 1; r <= 6; r++) {
            dir.write(1, r, model(r), null, state);
            List<Path> deleted = dir.prune(r);
            List<Path> expected = r <= 2 ? List.of()
                    : List.of(root.resolve(String.format("round-%04d.safetensors", r - 2)).toAbsolutePath(),
                              root.resolve(String.format("round-%04d.strategy.safetensors", r - 2)).toAbsolutePath());
            assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(deleted), "round " + r);
        }
        assertEquals(List.of(5, 6), dir.rounds());
        try (var files = Files.list(root)) {
            assertEquals(4, files.count(), "rounds 5 and 6, each a model and a state file");
        }
    }

    @Test
    void aTemporaryFileOfALaterRoundFoundAtResumeIsDeletedWhenTheRunReachesThatRound() throws Exception {
        CheckpointDirectory dir = new CheckpointDirectory(root, 0);
        Path later = root.resolve(".round-0004.safetensors.987.tmp");
        Files.write(later, new byte[]{1});
        for (int r = 2; r <= 3; r++) {
            dir.write(1, r, model(r), null);
            assertEquals(List.of(), dir.prune(r));
            assertTrue(Files.exists(later), "round " + r);
        }
        dir.write(1, 4, model(4), null);
        assertEquals(List.of(later), dir.prune(4));
        assertFalse(Files.exists(later));
        assertEquals(List.of(2, 3, 4), dir.rounds());
    }

    @Test
    void negativeRetentionIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CheckpointDirectory(root, -1));
        assertTrue(e.getMessage().contains("keep_last"), e.getMessage());
    }
}
