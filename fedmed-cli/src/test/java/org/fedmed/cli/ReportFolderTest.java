package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFolderTest {

    private static final LocalDateTime NOON = LocalDateTime.of(2026, 3, 4, 12, 0, 5);

    @Test
    void aDefaultFolderIsStampedWithTheTimeAndNeverOneThatAlreadyExists(@TempDir Path results) throws Exception {
        assertEquals(results.resolve("tune-20260304-120005"), ReportFolder.settle(null, "tune", results, NOON));
        Files.createDirectories(results.resolve("tune-20260304-120005"));
        Files.createDirectories(results.resolve("tune-20260304-120005-2"));
        assertEquals(results.resolve("tune-20260304-120005-3"), ReportFolder.settle(null, "tune", results, NOON));
    }

    @Test
    void aFolderTheUserNamesIsKeptWhetherItExistsOrCanBeMade(@TempDir Path dir) throws Exception {
        Path existing = Files.createDirectories(dir.resolve("old-report"));
        assertEquals(existing, ReportFolder.settle(existing, "simulate", dir, NOON));
        Path fresh = dir.resolve("a").resolve("b");
        assertEquals(fresh, ReportFolder.settle(fresh, "simulate", dir, NOON));
        assertTrue(Files.notExists(fresh), "checking does not create the folder");
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefusedNamingOut(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        IllegalArgumentException atFile = assertThrows(IllegalArgumentException.class,
                () -> ReportFolder.checked(file));
        assertEquals("--out " + file + ": is a file, not a folder; name a folder for the report", atFile.getMessage());
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
                () -> ReportFolder.checked(file.resolve("report")));
        assertTrue(under.getMessage().startsWith("--out " + file.resolve("report") + ": ")
                && under.getMessage().contains("is a file, so no folder can be made under it"), under.getMessage());
        assertEquals("keep me", Files.readString(file));
    }
}
