package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.log.EventLog;
import org.fedmed.server.log.LogFormat;
import org.fedmed.server.log.LogWriter;
import org.junit.jupiter.api.Test;

class RoundPrinterTest {

    private static void drive(PrintWriter out) {
        RoundPrinter p = new RoundPrinter(out, new org.fedmed.core.objective.Objective.Classification(2), 3);
        p.siteFailed(new SiteFailure(2, "lyon", SiteFailure.Kind.TIMEOUT, "no answer within 5 s"));
        p.roundFinished(new RoundRecord(2, List.of("lyon", "oslo"), List.of("oslo"), List.of(), true, Map.of(),
                Map.of("log_loss", 0.5, "roc_auc", 0.75), Map.of(), 1500), null);
        p.runFinished(new RunResult(null, List.of(), RunResult.StopReason.ROUND_BUDGET, "ran 3 rounds"));
    }

    @Test
    void textFormatPrintsTheLinesItAlwaysPrinted() {
        StringWriter s = new StringWriter();
        drive(new PrintWriter(s));
        assertEquals("""
                  round 2: site 'lyon' timeout: no answer within 5 s
                round 2/3: 1 of 2 sites delivered, log_loss 0.5000, roc_auc 0.7500 (1.50 s)
                run finished after 0 rounds: round budget (ran 3 rounds)
                """, s.toString());
    }

    @Test
    void aRoundWithTooFewUpdatesToAggregateSaysTheModelIsUnchanged() {
        StringWriter s = new StringWriter();
        RoundPrinter p = new RoundPrinter(new PrintWriter(s), new org.fedmed.core.objective.Objective.Classification(2), 3);
        p.roundFinished(new RoundRecord(1, List.of("lyon", "oslo", "bern"), List.of("oslo", "bern"), List.of(), false,
                Map.of(), Map.of("log_loss", 0.7609), Map.of(), 420), null);
        assertEquals("round 1/3: 2 of 3 sites delivered, too few usable updates to aggregate (min_fit_sites): the"
                + " model is unchanged, log_loss 0.7609 (0.42 s)\n", s.toString());
    }

    @Test
    void jsonFormatWritesOneEventPerLineWithRoundAndSite() throws Exception {
        StringWriter s = new StringWriter();
        drive(new LogWriter(new EventLog(new PrintWriter(s), LogFormat.JSON), "server", null));
        List<String> lines = s.toString().lines().toList();
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode failed = json.readTree(lines.get(0));
        assertEquals("WARN", failed.get("level").asText());
        assertEquals("site.failed", failed.get("event").asText());
        assertEquals(2, failed.get("round").asInt());
        assertEquals("lyon", failed.get("site").asText());
        assertTrue(failed.get("message").asText().contains("no answer within 5 s"));
        Instant.parse(failed.get("time").asText());
        JsonNode round = json.readTree(lines.get(1));
        assertEquals("round.finished", round.get("event").asText());
        assertEquals("INFO", round.get("level").asText());
        assertEquals(2, round.get("round").asInt());
        assertFalse(round.has("site"));
        assertEquals("run.finished", json.readTree(lines.get(2)).get("event").asText());
    }
}
