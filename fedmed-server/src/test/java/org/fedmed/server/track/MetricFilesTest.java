package org.fedmed.server.track;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRoundGivesGlobalRowsThenSiteRowsInNameOrder() {
        List<MetricRow> rows = TrackedMetrics.of("r", Rounds.round(2));
        assertEquals(List.of("train/loss", "eval/log_loss", "eval/roc_auc", "round/aggregation_ms",
                        "round/completed", "round/duration_ms", "round/sites_failed", "round/sites_selected",
                        "round/sites_succeeded"),
                rows.stream().filter(MetricRow::global).map(MetricRow::metric).toList());
        assertEquals(List.of("a|claims/eval_examples", "a|claims/fit_examples", "a|eval/roc_auc",
                        "a|traffic/bytes_received", "a|traffic/bytes_sent", "b|claims/fit_examples", "b|round/failed",
                        "b|traffic/bytes_received", "b|traffic/bytes_sent"),
                rows.stream().filter(r -> !r.global()).map(r -> r.site() + "|" + r.metric()).toList());
        assertEquals(200.0, rows.stream().filter(r -> r.metric().equals("round/duration_ms")).findFirst()
                .orElseThrow().value());
        assertEquals(3.0, rows.stream().filter(r -> r.metric().equals("round/aggregation_ms")).findFirst()
                .orElseThrow().value());
        assertEquals(List.of(1000.0, 2000.0, 0.0, 900.0), rows.stream().filter(r -> r.metric().startsWith("traffic/"))
                .map(MetricRow::value).toList(), "a received, a sent, b received, b sent");
    }

    @Test
    void csvAndJsonLinesHoldOneRowPerMetricAndReadBackExactly() throws Exception {
        List<MetricRow> rows = TrackedMetrics.of("run,1", Rounds.round(1));
        try (MetricFiles f = new MetricFiles(dir)) {
            f.write(rows);
        }
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("run,round,site,metric,value", csv.getFirst());
        assertEquals(rows.size() + 1, csv.size());
        assertEquals("\"run,1\",1,,eval/log_loss,0.69", csv.get(2));
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(rows.size(), jsonl.size());
        assertEquals("{\"run\":\"run,1\",\"round\":1,\"site\":null,\"metric\":\"eval/log_loss\",\"value\":0.69}",
                jsonl.get(1));
        assertTrue(Files.readString(dir.resolve("metrics.jsonl")).endsWith("}\n"), "every line ends with a break");
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode o = json.readTree(jsonl.get(i));
            MetricRow r = rows.get(i);
            assertEquals(r.run(), o.get("run").asText());
            assertEquals(r.round(), o.get("round").asInt());
            assertEquals(r.site() == null, o.get("site").isNull());
            if (r.site() != null) assertEquals(r.site(), o.get("site").asText());
            assertEquals(r.metric(), o.get("metric").asText());
            assertEquals(r.value(), o.get("value").asDouble());
        }
    }

    @Test
    void aReopenedFileIsContinuedWithoutASecondHeader() throws Exception {
        try (MetricFiles f = new MetricFiles(dir)) {
            f.write(TrackedMetrics.of("r", Rounds.round(1)));
        }
        try (MetricFiles f = new MetricFiles(dir)) {
            f.write(TrackedMetrics.of("r", Rounds.round(2)));
        }
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(1, csv.stream().filter(l -> l.startsWith("run,")).count());
        assertEquals(TrackedMetrics.of("r", Rounds.round(1)).size() + TrackedMetrics.of("r", Rounds.round(2)).size() + 1,
                csv.size());
    }
}
