package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ConsoleLogFormatterTest {

    private static LogRecord record(String message, Throwable thrown) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setInstant(Instant.parse("2026-12-07T10:15:30Z"));
        r.setThrown(thrown);
        return r;
    }

    @Test
    void aMessageCarryingAStackTraceIsCutBeforeItsFirstFrame() {
        String grpc = "[Channel<1>: (fl.example.org:7443)] Failed to resolve name. status=Status{code=UNAVAILABLE,"
                + " cause=java.net.UnknownHostException: fl.example.org\n\tat java.base/java.net.InetAddress.getAll"
                + "ByName0(InetAddress.java:1840)\n\tat io.grpc.internal.DnsNameResolver.resolve(DnsNameResolver.java:1)\n}";
        String line = new ConsoleLogFormatter(false).format(record(grpc, null));
        assertTrue(line.endsWith(" WARNING [Channel<1>: (fl.example.org:7443)] Failed to resolve name."
                + " status=Status{code=UNAVAILABLE, cause=java.net.UnknownHostException: fl.example.org"
                + System.lineSeparator()), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void anExceptionIsNamedWithItsCausesOnTheSameLine() {
        Exception e = new IllegalStateException("cannot write the checkpoint", new IOException("disk full"));
        String line = new ConsoleLogFormatter(false).format(record("round 3 failed", e));
        assertTrue(line.endsWith(" WARNING round 3 failed: java.lang.IllegalStateException: cannot write the"
                + " checkpoint; caused by java.io.IOException: disk full" + System.lineSeparator()), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void causesThatFormACycleAreNamedOnceEach() {
        IOException b = new IOException("b");
        IllegalStateException c = new IllegalStateException("c", b);
        b.initCause(c);
        String line = new ConsoleLogFormatter(false).format(record("failed", new RuntimeException("a", b)));
        assertTrue(line.endsWith(" WARNING failed: java.lang.RuntimeException: a; caused by java.io.IOException: b;"
                + " caused by java.lang.IllegalStateException: c" + System.lineSeparator()), line);
    }

    @Test
    void debugKeepsTheStackTrace() {
        Exception e = new IllegalStateException("cannot write the checkpoint");
        String text = new ConsoleLogFormatter(true).format(record("round 3 failed\n\tat somewhere(X.java:1)", e));
        assertTrue(text.contains("round 3 failed\n\tat somewhere(X.java:1)"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: cannot write the checkpoint"), text);
        assertTrue(text.contains("\tat org.fedmed.cli.ConsoleLogFormatterTest.debugKeepsTheStackTrace"), text);
    }
}
