package org.fedmed.server.log;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogWriterTest {

    private static void print(PrintWriter w) {
        w.printf("dialing %s%n", "server:7443");
        w.println();
        w.print("warning: site 'lyon' holds one ");
        w.flush();
        w.println("class");
        w.println("error: the server refused site 'lyon': revoked");
        w.close();
    }

    @Test
    void textFormatLeavesTheLinesAsTheyWere() {
        StringWriter s = new StringWriter();
        print(new LogWriter(new EventLog(new PrintWriter(s), LogFormat.TEXT), "site", "lyon"));
        assertEquals(String.join(System.lineSeparator(), "dialing server:7443", "",
                "warning: site 'lyon' holds one class", "error: the server refused site 'lyon': revoked", ""),
                s.toString());
    }

    @Test
    void jsonFormatMakesEachWholeLineAnEventWithItsLevelAndSite() throws Exception {
        StringWriter s = new StringWriter();
        print(new LogWriter(new EventLog(new PrintWriter(s), LogFormat.JSON), "site", "lyon"));
        List<String> lines = s.toString().lines().toList();
        assertEquals(3, lines.size(), "the blank line is left out, the flushed half line is not cut: " + lines);
        ObjectMapper json = new ObjectMapper();
        List<String> levels = lines.stream().map(l -> {
            try {
                JsonNode o = json.readTree(l);
                assertEquals("site", o.get("event").asText());
                assertEquals("lyon", o.get("site").asText());
                assertFalse(o.has("round"));
                return o.get("level").asText() + " " + o.get("message").asText();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(List.of("INFO dialing server:7443", "WARN warning: site 'lyon' holds one class",
                "ERROR error: the server refused site 'lyon': revoked"), levels);
    }

    @Test
    void anUnknownFormatNamesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogFormat.parse("--log-format", "xml"));
        assertEquals("option '--log-format': expected text or json, got 'xml'", e.getMessage());
    }
}
