package org.fedmed.deploy.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteAuditLog;

/**
 * A site's audit trail as a JSON-lines file: one JSON object per {@link AuditEntry}, appended and forced to disk
 * before {@link #record} returns, so an entry that was recorded survives a crash. The file is a hash chain
 * ({@link JsonLinesChain}): each line carries the hash of the line before, so {@link JsonLinesChain#verify} finds a
 * line that was changed, removed, inserted or moved. The file is opened for append, so a restarted site keeps its
 * old lines and continues their chain; a last line cut off by a crash is kept, closed off and acknowledged by a
 * {@code torn_line} entry. The file is locked while open, so two site processes (or two logs in one process)
 * cannot interleave lines in one file. Thread-safe.
 *
 * <p>Each line holds {@code at} (ISO-8601 instant), {@code site}, {@code task_id}, {@code kind} ({@code fit},
 * {@code evaluate} or null), {@code round}, {@code event} (lower case, for example {@code accepted}),
 * {@code reason}, {@code bytes_received}, {@code bytes_sent}, {@code metric_keys}, {@code prev} and {@code hash};
 * never any data value.
 */
public final class JsonLinesAuditLog implements SiteAuditLog, AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final JsonLinesChain chain;
    private boolean closed;

    /**
     * Opens (creating it and its parent directories if needed) the log at {@code file} for appending.
     *
     * @throws UncheckedIOException  if the file cannot be opened
     * @throws IllegalStateException if another process holds the log open, or its last line is not an entry whose
     *                               chain can be continued
     */
    public JsonLinesAuditLog(Path file) {
        this.file = file;
        FileChannel ch = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            this.channel = ch;
            this.lock = ch.tryLock();
            if (lock == null) {
                throw new IllegalStateException("audit log " + file + " is in use by another process");
            }
            this.chain = JsonLinesChain.resume(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot open audit log " + file + ": " + e.getMessage(), e);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new IllegalStateException("audit log " + file + " is already open in this process", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The log's file. */
    public Path file() {
        return file;
    }

    /**
     * Appends the entry as one line and forces it to disk.
     *
     * @throws UncheckedIOException  if the line cannot be written or forced
     * @throws IllegalStateException if the log is closed
     */
    @Override
    public synchronized void record(AuditEntry entry) {
        if (closed) {
            throw new IllegalStateException("audit log " + file + " is closed");
        }
        chain.append(channel, "", List.of(toMap(entry)));
    }

    /** The entry as the ordered map written on its line. */
    static Map<String, Object> toMap(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        m.put("site", e.siteId());
        m.put("task_id", e.taskId());
        m.put("kind", e.kind() == null ? null : e.kind().name().toLowerCase(Locale.ROOT));
        m.put("round", e.round());
        m.put("event", e.event().name().toLowerCase(Locale.ROOT));
        m.put("reason", e.reason());
        m.put("bytes_received", e.bytesReceived());
        m.put("bytes_sent", e.bytesSent());
        m.put("metric_keys", e.metricKeys());
        return m;
    }

    /**
     * Every entry of an audit log as a map, in order; blank lines and lines cut off by a crash that the log
     * acknowledges are skipped.
     *
     * @throws IllegalArgumentException naming the file and line number of a line that is not a JSON object
     */
    public static List<Map<String, Object>> read(Path file) {
        return JsonLinesChain.objects(file, "audit log").stream().map(JsonLinesChain.Numbered::object).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases the lock as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more can be done for a channel that fails to close
        }
    }
}
