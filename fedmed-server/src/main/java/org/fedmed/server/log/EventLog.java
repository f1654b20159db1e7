package org.fedmed.server.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A console log of events. In {@link LogFormat#TEXT} an event is its message on a line, exactly as the processes
 * printed before; in {@link LogFormat#JSON} it is one object on one line:
 * {@code {"time":"<ISO-8601 UTC>","level":"INFO|WARN|ERROR","event":"<name>","message":"..."}}, with
 * {@code "round"} (a number) and {@code "site"} (a string) added when the event has them. Thread-safe: each event
 * is written whole, under the writer's lock, and flushed.
 */
public final class EventLog {

    /** An event's severity. */
    public enum Level { INFO, WARN, ERROR }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final LogFormat format;

    public EventLog(PrintWriter out, LogFormat format) {
        this.out = out;
        this.format = format;
    }

    /**
     * The log {@code out} stands for: the one behind a {@link LogWriter}, else a text log on {@code out}. So code
     * handed a writer logs structured events when the command asked for JSON, and plain lines otherwise.
     */
    public static EventLog of(PrintWriter out) {
        return out instanceof LogWriter w ? w.log() : new EventLog(out, LogFormat.TEXT);
    }

    public LogFormat format() {
        return format;
    }

    public void info(String event, String message, Integer round, String site) {
        log(Level.INFO, event, message, round, site);
    }

    public void log(Level level, String event, String message, Integer round, String site) {
        String line;
        if (format == LogFormat.TEXT) {
            line = message;
        } else {
            ObjectNode o = JSON.createObjectNode();
            o.put("time", Instant.now().toString());
            o.put("level", level.name());
            o.put("event", event);
            o.put("message", message);
            if (round != null) o.put("round", round);
            if (site != null) o.put("site", site);
            try {
                line = JSON.writeValueAsString(o);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException("cannot write log event '" + event + "' as JSON", e);
            }
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
