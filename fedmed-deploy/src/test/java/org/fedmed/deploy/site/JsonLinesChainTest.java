package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainBreak;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.transport.site.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's audit log is a hash chain: a normal log verifies, each kind of edit is found at the exact line, a
 * reopened log continues its chain, a line cut off by a crash is acknowledged, and an old log is reported unchained.
 */
class JsonLinesChainTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An audit log of six entries written and closed by the site's log. */
    Path sixLines() {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            for (int i = 1; i <= 3; i++) {
                log.record(JsonLinesAuditLogTest.entry("r" + i + "-fit-cleveland", AuditEntry.Event.ACCEPTED));
                log.record(JsonLinesAuditLogTest.entry("r" + i + "-fit-cleveland", AuditEntry.Event.SENT));
            }
        }
        return file;
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static ChainBreak firstBreak(ChainReport r) {
        return r.firstBreak().orElseThrow(() -> new AssertionError("expected a break: " + r.summary()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String line) throws IOException {
        return JSON.readValue(line, LinkedHashMap.class);
    }

    @Test
    void aNormalLogIsIntactAndEachLineLinksToTheOneBefore() throws IOException {
        Path file = sixLines();
        ChainReport r = JsonLinesChain.verify(file);
        assertTrue(r.intact(), r.summary());
        assertEquals(6, r.entries());
        List<String> raw = lines(file);
        assertEquals(AuditChain.GENESIS, object(raw.get(0)).get("prev"));
        for (int i = 1; i < raw.size(); i++) {
            assertEquals(object(raw.get(i - 1)).get("hash"), object(raw.get(i)).get("prev"), "line " + (i + 1));
        }
        assertEquals(object(raw.getLast()).get("hash"), r.head());
    }

    @Test
    void aLinesHashIsSha256OfItsSortedMembersWithoutTheHash() throws IOException {
        Path file = sixLines();
        String first = lines(file).getFirst();
        String expected = "{\"at\":\"2025-01-02T03:04:05Z\",\"bytes_received\":120,\"bytes_sent\":64,\"event\":\"accepted\","
                + "\"kind\":\"fit\",\"metric_keys\":[\"loss\"],\"prev\":\"" + AuditChain.GENESIS + "\",\"reason\":\"\","
                + "\"round\":3,\"site\":\"cleveland\",\"task_id\":\"r1-fit-cleveland\"}";
        assertEquals(AuditChain.sha256Hex(expected.getBytes(StandardCharsets.UTF_8)), object(first).get("hash"));
    }

    @Test
    void oneFieldEditedInAMiddleLineIsFoundAtThatLine() throws IOException {
        Path file = sixLines();
        List<String> raw = lines(file);
        String edited = raw.get(3).replace("\"bytes_sent\":64", "\"bytes_sent\":6400");
        assertTrue(!edited.equals(raw.get(3)), "the edit took");
        raw.set(3, edited);
        write(file, raw);
        ChainReport r = JsonLinesChain.verify(file);
        assertEquals(4, firstBreak(r).position());
        assertEquals(ChainBreak.Kind.CONTENT_CHANGED, firstBreak(r).kind());
        assertEquals(3, r.entries());
        assertTrue(r.summary().startsWith("broken at line 4 (content changed)"), r.summary());
    }

    @Test
    void aDeletedLineIsFoundAtTheLineThatTookItsPlace() throws IOException {
        Path file = sixLines();
        List<String> raw = lines(file);
        raw.remove(2);
        write(file, raw);
        ChainBreak b = firstBreak(JsonLinesChain.verify(file));
        assertEquals(3, b.position());
        assertEquals(ChainBreak.Kind.ENTRY_MISSING, b.kind());
        assertTrue(b.detail().contains("line 2"), b.detail());
    }

    @Test
    void twoSwappedLinesAreFoundAtTheFirstOfThem() throws IOException {
        Path file = sixLines();
        List<String> raw = lines(file);
        String third = raw.get(2);
        raw.set(2, raw.get(3));
        raw.set(3, third);
        write(file, raw);
        ChainBreak b = firstBreak(JsonLinesChain.verify(file));
        assertEquals(3, b.position());
        assertEquals(ChainBreak.Kind.OUT_OF_ORDER, b.kind());
        assertTrue(b.detail().contains("hash of line 4"), b.detail());
    }

    @Test
    void aTruncatedTailIsFoundAtTheCutLine() throws IOException {
        Path file = sixLines();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 20));
        ChainReport r = JsonLinesChain.verify(file);
        assertEquals(6, firstBreak(r).position());
        assertEquals(ChainBreak.Kind.UNREADABLE, firstBreak(r).kind());
        assertTrue(firstBreak(r).detail().contains("cut off"), firstBreak(r).detail());
        assertEquals(5, r.entries());
    }

    @Test
    void wholeLinesRemovedFromTheEndLeaveAShorterIntactChainWithAnEarlierHead() throws IOException {
        Path file = sixLines();
        String head = JsonLinesChain.verify(file).head();
        List<String> raw = lines(file);
        write(file, raw.subList(0, 4));
        ChainReport r = JsonLinesChain.verify(file);
        assertTrue(r.intact(), "a chain alone cannot see a shortened end: " + r.summary());
        assertTrue(!head.equals(r.head()), "but its head differs from the one noted before");
    }

    @Test
    void aReopenedLogContinuesItsChain() throws IOException {
        Path file = sixLines();
        String head = JsonLinesChain.verify(file).head();
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(JsonLinesAuditLogTest.entry("r4-fit-cleveland", AuditEntry.Event.ACCEPTED));
        }
        assertEquals(head, object(lines(file).get(6)).get("prev"));
        ChainReport r = JsonLinesChain.verify(file);
        assertTrue(r.intact(), r.summary());
        assertEquals(7, r.entries());
    }

    @Test
    void aLineCutOffByACrashIsAcknowledgedOnReopenAndTheChainGoesOn() throws IOException {
        Path file = sixLines();
        List<String> raw = lines(file);
        Files.writeString(file, String.join("\n", raw) + "\n{\"at\":\"2025-01-02T03:04:05Z\",\"site\":\"clev",
                StandardCharsets.UTF_8);
        assertEquals(ChainBreak.Kind.UNREADABLE, firstBreak(JsonLinesChain.verify(file)).kind(), "before the reopen");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(JsonLinesAuditLogTest.entry("r4-fit-cleveland", AuditEntry.Event.ACCEPTED));
        }
        List<String> after = lines(file);
        assertEquals(9, after.size());
        assertEquals("{\"at\":\"2025-01-02T03:04:05Z\",\"site\":\"clev", after.get(6), "the torn bytes are kept");
        Map<String, Object> ack = object(after.get(7));
        assertEquals("torn_line", ack.get("event"));
        assertEquals(7, ack.get("line"));
        assertEquals(object(raw.get(5)).get("hash"), ack.get("prev"), "the chain continues from the last whole line");
        ChainReport r = JsonLinesChain.verify(file);
        assertTrue(r.intact(), r.summary());
        assertEquals(8, r.entries());
        assertTrue(r.notes().getFirst().startsWith("line 7 was cut off by a crash; line 8 acknowledges it"),
                r.notes().toString());
        assertEquals(List.of("accepted", "sent", "accepted", "sent", "accepted", "sent", "torn_line", "accepted"),
                JsonLinesAuditLog.read(file).stream().map(m -> m.get("event")).toList());
    }

    @Test
    void aTornLineWhoseAcknowledgementWasEditedIsABreak() throws IOException {
        Path file = sixLines();
        Files.writeString(file, "{\"at\":", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        new JsonLinesAuditLog(file).close();
        List<String> raw = lines(file);
        raw.set(7, raw.get(7).replace("\"torn_bytes\":6", "\"torn_bytes\":5"));
        write(file, raw);
        ChainBreak b = firstBreak(JsonLinesChain.verify(file));
        assertEquals(7, b.position());
        assertEquals(ChainBreak.Kind.UNREADABLE, b.kind());
    }

    @Test
    void anOldLogWithoutHashesIsReadAndReportedUnchainedBeforeTheFirstNewLine() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "{\"at\":\"2024-12-01T00:00:00Z\",\"event\":\"accepted\"}\n"
                + "{\"at\":\"2024-12-01T00:00:01Z\",\"event\":\"sent\"}\n", StandardCharsets.UTF_8);
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(JsonLinesAuditLogTest.entry("r1-fit-cleveland", AuditEntry.Event.ACCEPTED));
            log.record(JsonLinesAuditLogTest.entry("r1-fit-cleveland", AuditEntry.Event.SENT));
        }
        assertEquals(AuditChain.GENESIS, object(lines(file).get(2)).get("prev"));
        ChainReport r = JsonLinesChain.verify(file);
        assertTrue(r.intact(), r.summary());
        assertEquals(4, r.entries());
        assertEquals(2, r.unchained());
        assertEquals(OptionalLong.of(3), r.chainStart());
        assertTrue(r.summary().contains("unchained before line 3"), r.summary());
        assertEquals(4, JsonLinesAuditLog.read(file).size());
    }

    @Test
    void aLogWhoseLastLineIsNotAnEntryIsNotContinued() throws IOException {
        Path file = sixLines();
        Files.writeString(file, "garbage\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        long size = Files.size(file);
        var e = assertThrows(IllegalStateException.class, () -> new JsonLinesAuditLog(file));
        assertTrue(e.getMessage().contains(file + " line 7") && e.getMessage().contains("--verify-audit"),
                e.getMessage());
        assertEquals(size, Files.size(file), "nothing was written");
    }
}
