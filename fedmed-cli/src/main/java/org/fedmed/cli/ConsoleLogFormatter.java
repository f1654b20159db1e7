package org.fedmed.cli;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The console's format for log records in text mode (what libraries such as grpc-java and fedmed's own
 * {@code System.Logger} callers log): one line each, time, level and message, with an exception named by its class
 * and message and those of its causes, never a stack trace. A message that carries one anyway (gRPC writes its
 * status's cause with its trace into the message) is cut to its lines before the first stack frame. With
 * {@code debug} (the {@code FEDMED_DEBUG} environment variable) the full message and stack trace are kept.
 */
final class ConsoleLogFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final boolean debug;

    ConsoleLogFormatter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder();
        b.append(TIME.format(LocalDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault()))).append(' ')
                .append(r.getLevel().getName()).append(' ');
        String message = formatMessage(r);
        b.append(debug ? message : withoutStackFrames(message));
        Throwable t = r.getThrown();
        if (t != null) {
            if (debug) {
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace));
                b.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            } else {
                b.append(": ").append(t);
                // each cause once, also when causes form a cycle (getCause never returns the throwable itself)
                java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                seen.add(t);
                for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
                    b.append("; caused by ").append(c);
                }
            }
        }
        return b.append(System.lineSeparator()).toString();
    }

    /** {@code message} up to its first line that is a stack frame ({@code at ...} after white space), trimmed. */
    static String withoutStackFrames(String message) {
        String[] lines = message.split("\\R");
        StringBuilder kept = new StringBuilder();
        for (String line : lines) {
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && line.stripLeading().startsWith("at ")) {
                break;
            }
            if (!kept.isEmpty()) {
                kept.append(' ');
            }
            kept.append(line.strip());
        }
        return kept.toString();
    }
}
