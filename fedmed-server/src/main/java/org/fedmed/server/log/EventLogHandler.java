package org.fedmed.server.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Sends {@code java.util.logging} records (what libraries and {@code System.Logger} callers log) to an
 * {@link EventLog}, so that in JSON format they are JSON lines too: the event is the logger's name, the level
 * {@code ERROR} for SEVERE, {@code WARN} for WARNING and {@code INFO} below, and the message the formatted
 * message with the exception's, if any.
 */
public final class EventLogHandler extends Handler {

    private final EventLog log;

    public EventLogHandler(EventLog log) {
        this.log = log;
        setLevel(Level.INFO);
    }

    /** Replaces the root logger's handlers with one that writes to {@code log}. */
    public static void install(EventLog log) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new EventLogHandler(log));
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        String message = new java.util.logging.SimpleFormatter().formatMessage(r);
        if (r.getThrown() != null) {
            message += ": " + r.getThrown();
        }
        int v = r.getLevel().intValue();
        EventLog.Level level = v >= Level.SEVERE.intValue() ? EventLog.Level.ERROR
                : v >= Level.WARNING.intValue() ? EventLog.Level.WARN : EventLog.Level.INFO;
        log.log(level, r.getLoggerName() == null ? "log" : r.getLoggerName(), message, null, null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
