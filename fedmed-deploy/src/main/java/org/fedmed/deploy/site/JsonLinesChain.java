package org.fedmed.deploy.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainBreak;
import org.fedmed.server.audit.ChainEntry;
import org.fedmed.server.audit.ChainReport;

/**
 * A JSON-lines file kept as a hash chain ({@link AuditChain}): each line is one JSON object that ends with
 * {@code prev} (the {@code hash} of the line before, or the genesis value) and {@code hash} (the SHA-256 of its
 * canonical bytes). The site's audit log and its privacy ledger are such files. Positions are line numbers, counted
 * as an editor counts them; blank lines are skipped.
 *
 * <p>Appending seals each line with the chain's head and writes a batch of lines with one write, forced to disk;
 * a write that fails is undone (the file cut back to its size before it) so no torn line is left behind, and if
 * that fails too, every later append is refused. Lines without hashes at the start of a file were written before
 * chaining: they are read, and reported as unchained, and the chain starts after them.
 *
 * <p>A crash while a line is written can leave the last line cut off. {@link #resume} keeps those bytes (an audit
 * log is never shortened) and closes them off with a {@value #TORN_EVENT} entry that chains from the last whole
 * line and records the cut line's number, length and SHA-256; the verifier then skips exactly that line, with a
 * note. A cut-off last line that nothing acknowledges is a break. Thread-safe.
 *
 * <p>Reading, verifying and appending are one class because they must agree byte for byte on what a line is,
 * the acknowledgement of a cut-off line above all.
 */
public final class JsonLinesChain {

    /** The event of the entry that acknowledges a line cut off by a crash. */
    static final String TORN_EVENT = "torn_line";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path file;
    private String head;
    private boolean failed;

    private JsonLinesChain(Path file, String head) {
        this.file = file;
        this.head = head;
    }

    /** A line as read: its number, its bytes without the newline, whether it had one, and its object or why not. */
    private record Line(long number, byte[] bytes, boolean terminated, Map<String, Object> object, String error) {
        boolean blank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /** A line's object and its line number. */
    record Numbered(long line, Map<String, Object> object) {
    }

    // ---- reading and verifying ----

    /**
     * Verifies the chain of the file and names the first line that does not hold.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ChainReport verify(Path file) {
        List<Line> lines = lines(file);
        List<ChainEntry> entries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.blank()) {
                continue;
            }
            if (l.object() == null) {
                if (acknowledged(l, i + 1 < lines.size() ? lines.get(i + 1) : null)) {
                    notes.add("line " + l.number() + " was cut off by a crash; line " + (l.number() + 1)
                            + " acknowledges it (its length and SHA-256) and the chain continues there");
                    continue;
                }
                entries.add(new ChainEntry.Broken(l.number(), ChainBreak.Kind.UNREADABLE, l.terminated()
                        ? "not a JSON object (" + l.error() + ")"
                        : "cut off at the end of the file, with no line end: a crash while it was written, or the"
                                + " file was truncated"));
                continue;
            }
            if (!l.terminated()) {
                notes.add("line " + l.number() + " has no line end (the newline was lost); its entry is whole");
            }
            entries.add(entry(l));
        }
        return AuditChain.verify("line", entries, notes);
    }

    /**
     * The object of every line, in order, skipping blank lines and lines cut off by a crash that the file
     * acknowledges.
     *
     * @param what the file's name in messages, for example {@code audit log}
     * @throws IllegalArgumentException naming the file and line number of any other line that is not a JSON object
     */
    static List<Numbered> objects(Path file, String what) {
        List<Line> lines = lines(file);
        List<Numbered> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.blank() || l.object() == null && acknowledged(l, i + 1 < lines.size() ? lines.get(i + 1) : null)) {
                continue;
            }
            if (l.object() == null) {
                throw new IllegalArgumentException(what + " " + file + " line " + l.number() + ": not a JSON object ("
                        + (l.terminated() ? l.error() : "cut off, with no line end") + ")");
            }
            out.add(new Numbered(l.number(), l.object()));
        }
        return out;
    }

    private static ChainEntry entry(Line l) {
        Map<String, Object> content = new LinkedHashMap<>(l.object());
        Object prev = content.get(AuditChain.PREV);
        Object hash = content.remove(AuditChain.HASH);
        if (!l.object().containsKey(AuditChain.PREV) && !l.object().containsKey(AuditChain.HASH)) {
            return new ChainEntry.Unchained(l.number());
        }
        if (!(prev instanceof String p) || !AuditChain.isHash(p) || !(hash instanceof String h) || !AuditChain.isHash(h)) {
            return new ChainEntry.Broken(l.number(), ChainBreak.Kind.BAD_HASH, "'" + AuditChain.PREV + "' " + show(prev)
                    + " and '" + AuditChain.HASH + "' " + show(hash) + " must both be 64 lower-case hex digits");
        }
        return new ChainEntry.Chained(l.number(), p, h, AuditChain.hash(content));
    }

    /** Whether {@code next} is the entry that acknowledges {@code torn} as a line cut off by a crash. */
    private static boolean acknowledged(Line torn, Line next) {
        if (next == null || next.object() == null) {
            return false;
        }
        Map<String, Object> m = next.object();
        return TORN_EVENT.equals(m.get("event")) && m.get("line") instanceof Number n && n.longValue() == torn.number()
                && m.get("torn_bytes") instanceof Number len && len.longValue() == torn.bytes().length
                && AuditChain.sha256Hex(torn.bytes()).equals(m.get("torn_sha256"));
    }

    private static List<Line> lines(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Line> out = new ArrayList<>();
        int start = 0;
        long number = 1;
        while (start < all.length) {
            int end = start;
            while (end < all.length && all[end] != '\n') {
                end++;
            }
            out.add(parse(number++, Arrays.copyOfRange(all, start, end), end < all.length));
            start = end + 1;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Line parse(long number, byte[] bytes, boolean terminated) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new Line(number, bytes, terminated, null, "blank");
        }
        try {
            Object value = JSON.readValue(text, Object.class);
            if (value instanceof Map<?, ?> m) {
                return new Line(number, bytes, terminated, (Map<String, Object>) m, null);
            }
            return new Line(number, bytes, terminated, null, "a JSON " + (value == null ? "null" : "value") + ", not an object");
        } catch (JsonProcessingException e) {
            return new Line(number, bytes, terminated, null, e.getOriginalMessage());
        }
    }

    private static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    // ---- appending ----

    /**
     * Continues the chain of the file that {@code channel} appends to: from the hash of its last line, from the
     * genesis value when the file is empty or was written before chaining. A last line cut off by a crash is
     * closed off and acknowledged (see the class comment).
     *
     * @throws IllegalStateException naming the file and line when its last whole line is not an entry whose hash
     *                               can be continued (not a JSON object, or a malformed hash)
     * @throws IOException           if the file cannot be read or the acknowledgement written
     */
    static JsonLinesChain resume(Path file, FileChannel channel) throws IOException {
        List<Line> lines = lines(file);
        Line torn = null;
        String prefix = "";
        if (!lines.isEmpty() && !lines.getLast().terminated()) {
            if (lines.getLast().object() == null && !lines.getLast().blank()) {
                torn = lines.removeLast();
            }
            prefix = "\n";
        }
        Line last = null;
        for (int i = lines.size() - 1; i >= 0 && last == null; i--) {
            if (!lines.get(i).blank()) {
                last = lines.get(i);
            }
        }
        JsonLinesChain chain = new JsonLinesChain(file, last == null ? AuditChain.GENESIS : headOf(file, last));
        if (torn != null) {
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("at", Instant.now().toString());
            ack.put("event", TORN_EVENT);
            ack.put("line", torn.number());
            ack.put("torn_bytes", torn.bytes().length);
            ack.put("torn_sha256", AuditChain.sha256Hex(torn.bytes()));
            chain.append(channel, prefix, List.of(ack));
        } else if (!prefix.isEmpty()) {
            chain.append(channel, prefix, List.of());
        }
        return chain;
    }

    /** Continues the chain of a file whose {@code report} says it is intact; opens the file at each append. */
    static JsonLinesChain after(Path file, ChainReport report) {
        if (!report.intact()) {
            throw new IllegalArgumentException(file + ": a broken chain cannot be continued: " + report.summary());
        }
        return new JsonLinesChain(file, report.head());
    }

    private static String headOf(Path file, Line last) {
        ChainEntry e = last.object() == null
                ? new ChainEntry.Broken(last.number(), ChainBreak.Kind.UNREADABLE, "not a JSON object (" + last.error() + ")")
                : entry(last);
        return switch (e) {
            case ChainEntry.Chained c -> c.hash();
            case ChainEntry.Unchained u -> AuditChain.GENESIS;
            case ChainEntry.Broken b -> throw new IllegalStateException(file + " line " + b.position() + ": "
                    + b.detail() + "; the hash chain cannot be continued from it. Check the file with"
                    + " 'fedmed site --verify-audit', then move it aside to start a new one");
        };
    }

    /** The hash of the last line written. */
    synchronized String head() {
        return head;
    }

    /**
     * Seals each content with the chain ({@code prev}, then {@code hash}) and appends them, after {@code prefix},
     * with one write, forced to disk. Nothing is left in the file if the write fails.
     *
     * @throws UncheckedIOException  if the lines cannot be written or forced
     * @throws IllegalStateException if an earlier failed write could not be undone
     */
    synchronized void append(FileChannel channel, String prefix, List<Map<String, Object>> contents) {
        if (failed) {
            throw new IllegalStateException(file + ": an earlier write failed and could not be undone, so the hash"
                    + " chain cannot go on; restart the site, which closes a cut-off line off or names it");
        }
        StringBuilder text = new StringBuilder(prefix);
        String h = head;
        for (Map<String, Object> content : contents) {
            Map<String, Object> line = new LinkedHashMap<>(content);
            line.remove(AuditChain.HASH);
            line.put(AuditChain.PREV, h);
            h = AuditChain.hash(line);
            line.put(AuditChain.HASH, h);
            try {
                text.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + content + " to " + file + " as JSON: "
                        + e.getOriginalMessage(), e);
            }
        }
        long size = -1;
        try {
            size = channel.size();
            ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(true);
        } catch (IOException e) {
            if (size >= 0) {
                try {
                    channel.truncate(size);
                    channel.force(true);
                } catch (IOException undo) {
                    failed = true;
                    e.addSuppressed(undo);
                }
            }
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        head = h;
    }
}
