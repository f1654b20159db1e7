package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedmed simulate --log-format json} in its own JVM: every line it writes, out and err, is one JSON event. */
class JsonLogProcessesTest {

    @TempDir
    Path dir;

    @Test
    void everyOutputLineOfAJsonSimulateIsAnEventAndTheTrackingFilesAreWritten() throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Path out = dir.resolve("out");
        String output;
        try (FedmedProcess p = FedmedProcess.start("simulate", dir, "simulate", "--rounds", "2", "--regimes",
                "local,federated", "--log-format", "json", "--out", out.toString())) {
            int exit = p.awaitExit(Duration.ofMinutes(3));
            output = p.output();
            assertEquals(0, exit, output);
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = output.lines().toList();
        assertTrue(lines.size() > 10, output);
        Set<String> events = new java.util.HashSet<>();
        for (String line : lines) {
            JsonNode o;
            try {
                o = json.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + line + "\nwhole output:\n" + output, e);
            }
            assertTrue(o.isObject(), line);
            Instant.parse(o.get("time").asText());
            assertTrue(Set.of("INFO", "WARN", "ERROR").contains(o.get("level").asText()), line);
            assertFalse(o.get("event").asText().isBlank(), line);
            assertTrue(o.has("message"), line);
            events.add(o.get("event").asText());
        }
        assertTrue(events.containsAll(Set.of("simulate", "phase.started", "phase.done")), events.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("report written to")), output);
        for (String f : List.of("report.html", "metrics.csv", "metrics.jsonl")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        try (var tb = Files.list(out.resolve("tensorboard").resolve("federated"))) {
            assertTrue(tb.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")));
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("run,round,site,metric,value", csv.getFirst());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("federated,2,,eval/roc_auc,")), "round 2's global AUC");
        assertTrue(csv.stream().anyMatch(l -> l.matches("federated,1,cleveland,eval/roc_auc,[0-9.E-]+")),
                "a site's own AUC");
    }
}
