package org.fedmed.server.log;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer that turns each line written to it into an event of its {@link EventLog}, for code that prints
 * lines: the event is named {@code event}, carries {@code site} when one is given, and is {@code ERROR} for a line
 * that starts with {@code error:}, {@code WARN} for {@code warning:} (or the indented {@code !} of a progress note),
 * {@code INFO} otherwise. In text format the lines come out unchanged. A partial line waits for its line break (or
 * {@link #close}); flushing does not cut a line in two. A blank line is dropped in JSON, kept in text.
 */
public final class LogWriter extends PrintWriter {

    private final EventLog log;

    public LogWriter(EventLog log, String event, String site) {
        super(new LineSink(log, event, site), true);
        this.log = log;
    }

    /** The log this writer's lines go to. */
    public EventLog log() {
        return log;
    }

    private static final class LineSink extends Writer {
        private final EventLog log;
        private final String event;
        private final String site;
        private final StringBuilder line = new StringBuilder();

        LineSink(EventLog log, String event, String site) {
            this.log = log;
            this.event = event;
            this.site = site;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n') {
                    emit();
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        private void emit() {
            String text = line.toString();
            line.setLength(0);
            String t = text.stripLeading();
            if (t.isEmpty() && log.format() == LogFormat.JSON) {
                return;
            }
            EventLog.Level level = t.startsWith("error:") ? EventLog.Level.ERROR
                    : t.startsWith("warning:") || t.startsWith("! ") ? EventLog.Level.WARN : EventLog.Level.INFO;
            log.log(level, event, text, null, site);
        }

        @Override
        public void flush() {
        }

        @Override
        public synchronized void close() {
            if (!line.isEmpty()) {
                emit();
            }
        }
    }
}
