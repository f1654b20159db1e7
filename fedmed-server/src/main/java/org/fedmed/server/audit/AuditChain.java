package org.fedmed.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hash chain that makes an audit log tamper-evident, in one place for every log that has one. Each entry holds
 * {@code prev}, the hash of the entry before it ({@link #GENESIS} for the first), and {@code hash}, the SHA-256 of
 * its own canonical bytes. The canonical bytes of an entry are its content, {@code prev} included and {@code hash}
 * left out, as compact JSON with every object's members sorted by name and Jackson's number forms, in UTF-8; so
 * the hash does not depend on the order or spacing a log writes its fields in, and changing any field, or
 * {@code prev}, changes it.
 *
 * <p>The chain shows an entry changed, removed, inserted or moved, when the edit did not recompute every hash after
 * it; it cannot show entries removed from the end (compare the {@link ChainReport#head()} with a copy kept
 * elsewhere), and it is no defence against someone who rewrites the whole chain. Thread-safe.
 */
public final class AuditChain {

    /** The {@code prev} of a log's first chained entry: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    /** The content member that holds the hash of the entry before. */
    public static final String PREV = "prev";

    /** The member that holds an entry's own hash; never part of its canonical bytes. */
    public static final String HASH = "hash";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private AuditChain() {
    }

    /**
     * The hash of an entry: SHA-256, in lower-case hex, of its canonical bytes. {@code content} holds the entry's
     * members with {@link #PREV} and without {@link #HASH}; its values are JSON values (strings, numbers, booleans,
     * null, lists and maps of them). Writing an entry and reading it back gives the same hash.
     *
     * @throws IllegalArgumentException content lacks a well-formed {@code prev}, holds {@code hash}, or is not JSON
     */
    public static String hash(Map<String, ?> content) {
        if (content == null || !isHash(content.get(PREV) instanceof String p ? p : null)) {
            throw new IllegalArgumentException("audit entry content needs '" + PREV + "' as 64 lower-case hex digits, got "
                    + (content == null ? "no content" : content.get(PREV)));
        }
        if (content.containsKey(HASH)) {
            throw new IllegalArgumentException("audit entry content must not hold its own '" + HASH + "'");
        }
        return sha256Hex(canonicalBytes(content));
    }

    /**
     * The canonical bytes of {@code content} (see the class comment). Content made only of {@linkplain #asReadAlready
     * values a reader of the log gets back as written} is written once, sorted; any other goes through text and back
     * first, so that its values have exactly the types a reader gets. Both give the same bytes for the same entry.
     */
    static byte[] canonicalBytes(Map<String, ?> content) {
        try {
            return CANONICAL.writeValueAsBytes(asReadAlready(content) ? content : throughText(content));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit entry content is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code content} written as JSON text and read back: maps, lists, strings, numbers, booleans and nulls. */
    static Object throughText(Map<String, ?> content) throws JsonProcessingException {
        return JSON.readValue(JSON.writeValueAsString(content), Object.class);
    }

    /**
     * Whether {@code value} writes the same canonical text as what a reader makes of it: null, strings, booleans,
     * ints, longs, finite doubles, and maps with string keys and collections of these. (A long read back may be an
     * int, and a collection a list, but they write the same text.) A float, a big number, an enum, a record or
     * anything else Jackson writes in its own way is not.
     */
    static boolean asReadAlready(Object value) {
        return switch (value) {
            case null -> true;
            case String s -> true;
            case Boolean b -> true;
            case Integer i -> true;
            case Long l -> true;
            case Double d -> Double.isFinite(d);
            case Map<?, ?> m -> {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String) || !asReadAlready(e.getValue())) {
                        yield false;
                    }
                }
                yield true;
            }
            case Collection<?> c -> {
                for (Object o : c) {
                    if (!asReadAlready(o)) {
                        yield false;
                    }
                }
                yield true;
            }
            default -> false;
        };
    }

    /** SHA-256 of {@code bytes} in lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** A position's name in messages: {@code line 7} or {@code entry 12}. */
    static String name(String unit, long position) {
        return unit + " " + position;
    }

    /** Whether {@code s} is a hash as the chain writes it: 64 lower-case hex digits. */
    public static boolean isHash(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a log's entries, in the order the log holds them, and names the first that does not verify. Entries
     * without hashes are accepted only before the first chained one (a log written before chaining, continued
     * after); the first chained entry must follow {@link #GENESIS}, and each later one the entry before it.
     *
     * @param unit    what positions are, in messages: {@code line} or {@code entry}
     * @param entries the log's entries in order
     * @param notes   notes of the reader to carry into the report (an acknowledged torn line, say)
     */
    public static ChainReport verify(String unit, List<ChainEntry> entries, List<String> notes) {
        Map<String, Long> positionOfHash = new HashMap<>();
        for (ChainEntry e : entries) {
            if (e instanceof ChainEntry.Chained c) {
                positionOfHash.putIfAbsent(c.hash(), c.position());
            }
        }
        String head = GENESIS;
        long verified = 0;
        long unchained = 0;
        OptionalLong chainStart = OptionalLong.empty();
        long previous = 0;
        List<String> allNotes = new ArrayList<>(notes == null ? List.of() : notes);
        for (ChainEntry e : entries) {
            Optional<ChainBreak> broken = switch (e) {
                case ChainEntry.Broken b -> Optional.of(new ChainBreak(b.position(), b.kind(), b.detail()));
                case ChainEntry.Unchained u -> chainStart.isPresent()
                        ? Optional.of(new ChainBreak(u.position(), ChainBreak.Kind.BAD_HASH, "it has no '" + PREV
                                + "' and '" + HASH + "' but follows chained entries: it was inserted, or its hashes"
                                + " were removed"))
                        : Optional.empty();
                case ChainEntry.Chained c -> link(unit, c, head, previous, positionOfHash);
            };
            if (broken.isPresent()) {
                return new ChainReport(unit, verified, unchained, chainStart, head, broken, allNotes);
            }
            verified++;
            if (e instanceof ChainEntry.Chained c) {
                head = c.hash();
                previous = c.position();
                if (chainStart.isEmpty()) {
                    chainStart = OptionalLong.of(c.position());
                }
            } else {
                unchained++;
            }
        }
        return new ChainReport(unit, verified, unchained, chainStart, head, Optional.empty(), allNotes);
    }

    private static Optional<ChainBreak> link(String unit, ChainEntry.Chained c, String head, long previous,
                                             Map<String, Long> positionOfHash) {
        if (!c.computed().equals(c.hash())) {
            return Optional.of(new ChainBreak(c.position(), ChainBreak.Kind.CONTENT_CHANGED, "its content no longer"
                    + " matches its hash (stored " + c.hash() + ", content hashes to " + c.computed() + "): a field"
                    + " of it was changed"));
        }
        if (c.prev().equals(head)) {
            return Optional.empty();
        }
        Long at = positionOfHash.get(c.prev());
        if (previous == 0) {
            return Optional.of(at != null
                    ? new ChainBreak(c.position(), ChainBreak.Kind.OUT_OF_ORDER, "it is the log's first chained entry"
                            + " but its prev is the hash of " + AuditChain.name(unit, at) + ": entries were moved")
                    : new ChainBreak(c.position(), ChainBreak.Kind.ENTRY_MISSING, "it is the log's first chained entry"
                            + " but its prev is not the genesis value: the entries before it are missing"));
        }
        String before = AuditChain.name(unit, previous);
        if (c.prev().equals(GENESIS)) {
            return Optional.of(new ChainBreak(c.position(), ChainBreak.Kind.BAD_HASH, "its prev is the genesis value,"
                    + " as if it began a new log, but it follows " + before + ": another log was appended, or the"
                    + " chain was restarted"));
        }
        if (at != null) {
            return Optional.of(new ChainBreak(c.position(), ChainBreak.Kind.OUT_OF_ORDER, "its prev is the hash of "
                    + AuditChain.name(unit, at) + ", not of " + before + " before it: entries were "
                    + (at > c.position() ? "reordered" : "inserted or reordered after " + AuditChain.name(unit, at))));
        }
        return Optional.of(new ChainBreak(c.position(), ChainBreak.Kind.ENTRY_MISSING, "its prev matches no entry of the"
                + " log, not the hash of " + before + " before it: an entry between them is missing, or " + before
                + " was replaced"));
    }
}
