package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log is an append-only JSON-lines file that survives restarts and names the line of a corrupt entry. */
class JsonLinesAuditLogTest {

    @TempDir
    Path dir;

    static AuditEntry entry(String taskId, AuditEntry.Event event) {
        return new AuditEntry(Instant.parse("2025-01-02T03:04:05Z"), "cleveland", taskId, TaskKind.FIT, 3, event,
                event == AuditEntry.Event.REFUSED ? "strategy 'x' is not allowed" : "", 120, 64, List.of("loss"));
    }

    @Test
    void eachEntryIsOneJsonLineWithEveryField() throws IOException {
        Path file = dir.resolve("audit/deep/site-audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(entry("r3-fit-cleveland", AuditEntry.Event.SENT));
            // read while the log is still open: the line is already on disk
            List<Map<String, Object>> lines = JsonLinesAuditLog.read(file);
            assertEquals(1, lines.size());
            Map<String, Object> m = lines.getFirst();
            assertEquals(List.of("at", "site", "task_id", "kind", "round", "event", "reason", "bytes_received",
                    "bytes_sent", "metric_keys", "prev", "hash"), List.copyOf(m.keySet()));
            assertEquals("2025-01-02T03:04:05Z", m.get("at"));
            assertEquals("cleveland", m.get("site"));
            assertEquals("r3-fit-cleveland", m.get("task_id"));
            assertEquals("fit", m.get("kind"));
            assertEquals(3, m.get("round"));
            assertEquals("sent", m.get("event"));
            assertEquals(120, m.get("bytes_received"));
            assertEquals(64, m.get("bytes_sent"));
            assertEquals(List.of("loss"), m.get("metric_keys"));
        }
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void reopeningAppendsAfterTheOldLines() {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(entry("r1-fit-cleveland", AuditEntry.Event.ACCEPTED));
            log.record(entry("r1-fit-cleveland", AuditEntry.Event.SENT));
        }
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(entry("r2-fit-cleveland", AuditEntry.Event.REFUSED));
        }
        List<Map<String, Object>> lines = JsonLinesAuditLog.read(file);
        assertEquals(List.of("accepted", "sent", "refused"), lines.stream().map(m -> m.get("event")).toList());
        assertEquals("strategy 'x' is not allowed", lines.get(2).get("reason"));
    }

    @Test
    void aTornLastLineDoesNotSpoilTheNextEntry() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "{\"event\":\"accepted\"}\n{\"event\":\"se", StandardCharsets.UTF_8);
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(entry("r2-fit-cleveland", AuditEntry.Event.SENT));
        }
        List<String> raw = Files.readAllLines(file);
        assertEquals(4, raw.size());
        assertEquals("{\"event\":\"se", raw.get(1));
        assertTrue(raw.get(2).contains("\"event\":\"torn_line\""), raw.get(2));
        assertTrue(raw.get(3).contains("\"task_id\":\"r2-fit-cleveland\""), raw.get(3));
    }

    @Test
    void corruptLineIsNamedByItsNumber() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(entry("r1-fit-cleveland", AuditEntry.Event.ACCEPTED));
        }
        Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);
        var e = assertThrows(IllegalArgumentException.class, () -> JsonLinesAuditLog.read(file));
        assertTrue(e.getMessage().contains(file + " line 2"), e.getMessage());
    }

    @Test
    void concurrentRecordsNeverInterleave() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 8;
        int each = 50;
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        log.record(entry("t" + id + "-" + i, AuditEntry.Event.ACCEPTED));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        List<Map<String, Object>> lines = JsonLinesAuditLog.read(file);
        assertEquals(threads * each, lines.size());
        assertEquals(threads * each, lines.stream().map(m -> m.get("task_id")).distinct().count());
    }

    @Test
    void aSecondLogOnTheSameFileIsRefusedWhileTheFirstIsOpen() {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            var e = assertThrows(IllegalStateException.class, () -> new JsonLinesAuditLog(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            log.record(entry("r1-fit-cleveland", AuditEntry.Event.ACCEPTED));
        }
        assertEquals(1, JsonLinesAuditLog.read(file).size());
    }

    @Test
    void recordingOnAClosedLogFails() {
        JsonLinesAuditLog log = new JsonLinesAuditLog(dir.resolve("audit.jsonl"));
        log.close();
        assertThrows(IllegalStateException.class, () -> log.record(entry("r1-fit-cleveland", AuditEntry.Event.SENT)));
    }
}
