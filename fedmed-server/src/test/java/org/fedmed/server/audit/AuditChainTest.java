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
    void nestedMapsAreSortedAtEveryDepthAndLongsWriteAsTheirDigits() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", true);
        inner.put("y", 1L << 40);
        Map<String, Object> m = content(AuditChain.GENESIS, "c", inner, "b", 2L, "a", List.of(1.5, "x", -0.0));
        m.put("d", null);
        String canonical = "{\"a\":[1.5,\"x\",-0.0],\"b\":2,\"c\":{\"y\":1099511627776,\"z\":true},\"d\":null,"
                + "\"prev\":\"" + AuditChain.GENESIS + "\"}";
        assertEquals(canonical, new String(AuditChain.canonicalBytes(m), StandardCharsets.UTF_8));
    }

    @Test
    void valuesJacksonWritesItsOwnWayAreHashedAsAReaderReadsThem() throws Exception {
        // a record is written with its members in declaration order and read back as a map, sorted when hashed; a
        // float reads back as a double, an enum as a string: the hash is what a verifier computes from the written
        // line, not from the writer's objects
        Map<String, Object> written = content(AuditChain.GENESIS, "pair", new Pair(2, 1), "rate", 0.1f, "unit",
                java.util.concurrent.TimeUnit.SECONDS, "count", (short) 7);
        Map<String, Object> read = content(AuditChain.GENESIS, "pair", Map.of("a", 1, "b", 2), "rate", 0.1, "unit",
                "SECONDS", "count", 7);
        assertEquals(false, AuditChain.asReadAlready(written));
        assertEquals(true, AuditChain.asReadAlready(read));
        assertEquals(AuditChain.hash(read), AuditChain.hash(written));
    }

    @Test
    void plainContentHashesAsItsTextReadBackDoes() throws Exception {
        var canonical = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261206);
        for (int n = 0; n < 500; n++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) randomValue(random, 0, true);
            m.remove(AuditChain.HASH);
            m.put(AuditChain.PREV, AuditChain.GENESIS);
            assertTrue(AuditChain.asReadAlready(m), m::toString);
            String viaText = new String(canonical.writeValueAsBytes(AuditChain.throughText(m)), StandardCharsets.UTF_8);
            assertEquals(viaText, new String(AuditChain.canonicalBytes(m), StandardCharsets.UTF_8), m::toString);
        }
    }

    /** Members declared out of name order. */
    record Pair(int b, int a) {
    }

    private static Object randomValue(java.util.SplittableRandom r, int depth, boolean map) {
        int pick = map ? 6 : r.nextInt(depth > 2 ? 6 : 8);
        return switch (pick) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextInt();
            case 3 -> r.nextBoolean() ? r.nextLong() : (long) r.nextInt(1000);
            case 4 -> switch (r.nextInt(4)) {
                case 0 -> r.nextDouble();
                case 1 -> (double) r.nextInt(100);
                case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
                default -> -r.nextDouble() * 1e300;
            };
            case 5 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(6); i > 0; i--) {
                    sb.append("az\"\\\u00e9\u4e2d\n\t\u0001".charAt(r.nextInt(9)));
                }
                yield sb.toString();
            }
            case 6 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put("k" + r.nextInt(20), randomValue(r, depth + 1, false));
                }
                yield m;
            }
            default -> {
                List<Object> l = new java.util.ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomValue(r, depth + 1, false));
                }
                yield r.nextBoolean() ? l : new java.util.LinkedHashSet<>(l);
            }
        };
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
