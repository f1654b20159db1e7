package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.fedmed.server.log.EventLog;
import org.fedmed.server.log.EventLogHandler;
import org.fedmed.server.log.LogFormat;
import org.fedmed.server.log.LogWriter;
import picocli.CommandLine.Option;

/**
 * {@code --log-format}, shared by {@code simulate}, {@code server} and {@code site}: text (the lines as always) or
 * json (one object per line on standard output and standard error, library log records included).
 */
final class LogOptions {

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "Console output: text (default) or json, one object per line with time, level, event,"
                    + " message, and round and site when known.")
    String logFormat;

    LogFormat format() {
        return LogFormat.parse("--log-format", logFormat);
    }

    /**
     * {@code out} as this command's console: unchanged in text format; in JSON a writer whose every line becomes an
     * event named {@code event} (with {@code site} when given). In JSON, library log records go to standard error
     * as JSON lines too.
     */
    PrintWriter console(PrintWriter out, String event, String site) {
        if (format() == LogFormat.TEXT) {
            return out;
        }
        EventLogHandler.install(new EventLog(new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                LogFormat.JSON));
        return new LogWriter(new EventLog(out, LogFormat.JSON), event, site);
    }
}
