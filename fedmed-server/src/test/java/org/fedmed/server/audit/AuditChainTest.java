package org.fedmed.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain's hash covers exactly an entry's content, whatever its member order, and the verifier names each break. */
class AuditChainTest {

    static Map<String, Object> content(String prev, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        m.put(AuditChain.PREV, prev);
        return m;
    }

    @Test
    void theHashIsSha256OfSortedCompactJson() {
        Map<String, Object> m = content(AuditChain.GENESIS, "round", 3, "event", "sent", "keys", List.of("loss"),
                "rate", 0.25, "reason", null);
        String canonical = "{\"event\":\"sent\",\"keys\":[\"loss\"],\"prev\":\"" + AuditChain.GENESIS
                + "\",\"rate\":0.25,\"reason\":null,\"round\":3}";
        assertEquals(AuditChain.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)), AuditChain.hash(m));
    }

    @Test
    void memberOrderDoesNotChangeTheHashButAnyValueDoes() {
        String h = AuditChain.hash(content(AuditChain.GENESIS, "a", 1, "b", "x"));
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put(AuditChain.PREV, AuditChain.GENESIS);
        reordered.put("b", "x");
        reordered.put("a", 1);
        assertEquals(h, AuditChain.hash(reordered));
        assertNotEquals(h, AuditChain.hash(content(AuditChain.GENESIS, "a", 2, "b", "x")));
        assertNotEquals(h, AuditChain.hash(content("1".repeat(64), "a", 1, "b", "x")));
    }

    @Test
    void contentWithoutPrevOrWithItsOwnHashIsRefused() {
        var noPrev = assertThrows(IllegalArgumentException.class, () -> AuditChain.hash(Map.of("a", 1)));
        assertTrue(noPrev.getMessage().contains("'prev'"), noPrev.getMessage());
        Map<String, Object> withHash = content(AuditChain.GENESIS, "hash", "ab");
        assertThrows(IllegalArgumentException.class, () -> AuditChain.hash(withHash));
    }

    /** Three chained entries at positions 1..3 with honest hashes. */
    static List<ChainEntry.Chained> chain() {
        String h1 = AuditChain.hash(content(AuditChain.GENESIS, "n", 1));
        String h2 = AuditChain.hash(content(h1, "n", 2));
        String h3 = AuditChain.hash(content(h2, "n", 3));
        return List.of(new ChainEntry.Chained(1, AuditChain.GENESIS, h1, h1), new ChainEntry.Chained(2, h1, h2, h2),
                new ChainEntry.Chained(3, h2, h3, h3));
    }

    @Test
    void anHonestChainIsIntactAndEndsInTheLastHash() {
        List<ChainEntry.Chained> c = chain();
        ChainReport r = AuditChain.verify("line", List.copyOf(c), List.of());
        assertTrue(r.intact(), r.summary());
        assertEquals(3, r.entries());
        assertEquals(c.get(2).hash(), r.head());
        assertEquals("intact: 3 entries, head " + c.get(2).hash(), r.summary());
    }

    @Test
    void aSecondChainStartedMidLogIsABadHash() {
        List<ChainEntry.Chained> c = chain();
        String restarted = AuditChain.hash(content(AuditChain.GENESIS, "n", 9));
        ChainReport r = AuditChain.verify("line", List.of(c.get(0), c.get(1),
                new ChainEntry.Chained(3, AuditChain.GENESIS, restarted, restarted)), List.of());
        ChainBreak b = r.firstBreak().orElseThrow();
        assertEquals(3, b.position());
        assertEquals(ChainBreak.Kind.BAD_HASH, b.kind());
        assertEquals(2, r.entries());
        assertEquals(c.get(1).hash(), r.head(), "the head is the last entry that verified");
    }

    @Test
    void aMissingFirstEntryIsNamedAtTheNewFirst() {
        List<ChainEntry.Chained> c = chain();
        ChainReport r = AuditChain.verify("line", List.of(new ChainEntry.Chained(1, c.get(1).prev(), c.get(1).hash(),
                c.get(1).computed())), List.of());
        assertEquals(ChainBreak.Kind.ENTRY_MISSING, r.firstBreak().orElseThrow().kind());
        assertTrue(r.summary().startsWith("broken at line 1 (entry missing)"), r.summary());
    }
}
