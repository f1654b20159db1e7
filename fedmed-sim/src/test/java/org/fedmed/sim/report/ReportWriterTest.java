package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    static ComparisonReport report() {
        Map<String, Double> m = Map.of("accuracy", 0.8, "balanced_accuracy", 0.75, "roc_auc", 0.9, "log_loss", 0.4, "f1", 0.7);
        Map<String, Double> m2 = Map.of("accuracy", 0.6, "balanced_accuracy", 0.55, "roc_auc", Double.NaN, "log_loss", 0.6, "f1", 0.5);
        RegimeResult local = new RegimeResult("local", Map.of("a", m, "b", m2), m, Map.of("a", 10, "b", 5),
                List.of(m2, m), 12);
        RegimeResult fed = new RegimeResult("federated", Map.of("a", m, "b", m), m, Map.of("a", 10, "b", 5),
                List.of(m2, m), 34);
        RoundRecord r1 = new RoundRecord(1, List.of("a", "b"), List.of("a"), List.of(), true, Map.of("loss", 0.7), m2, Map.of(), 5);
        Provenance p = new Provenance(SimulationConfig.defaults(), 42, "heart-disease", Map.of("a.csv", "abc123"),
                Map.of("type", "logistic"), Map.of("a", 30), Map.of("a", 10), Map.of("a", 0.9), "dev", "25", "now");
        var regimes = new java.util.LinkedHashMap<String, RegimeResult>();
        regimes.put("local", local);
        regimes.put("federated", fed);
        return new ComparisonReport(p, regimes, new FederatedSummary("fedavg", "round_budget", "ran 1 rounds", 1, List.of(r1), null, null, null),
                new org.fedmed.core.objective.Objective.Classification(2));
    }

    @Test
    void aReportFolderThatIsAFileIsNamedWithWhatIsWrongNotJustItsPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> new ReportWriter().write(report(), file));
        assertEquals("cannot write report to " + file + ": " + file + ": already exists", e.getMessage());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void writesJsonCsvAndPngFilesKeyedByRegime(@TempDir Path dir) throws Exception {
        List<Path> files = new ReportWriter().write(report(), dir);
        assertEquals(ReportWriter.FILES, files.stream().map(f -> f.getFileName().toString()).toList());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(0.9, json.at("/regimes/local/sites/a/roc_auc").asDouble());
        assertEquals(0.9, json.at("/regimes/federated/pooled/roc_auc").asDouble());
        assertEquals(42, json.at("/provenance/seed").asInt());
        assertEquals("abc123", json.at("/provenance/dataset_checksums/a.csv").asText());
        assertEquals("heart-disease", json.at("/provenance/config/dataset").asText());
        assertTrue(json.at("/federated/final_model").isMissingNode(), "the model is not dumped into results.json");

        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("regime,site,n_test,accuracy,balanced_accuracy,roc_auc,log_loss,f1", csv.getFirst());
        assertEquals(1 + 2 * 3, csv.size(), "a row per regime and site, plus pooled");
        assertTrue(csv.contains("local,b,5,0.600000,0.550000,,0.600000,0.500000"), "NaN is an empty cell: " + csv);

        for (String png : List.of("learning_curves.png", "per_site.png")) {
            byte[] head = Files.readAllBytes(dir.resolve(png));
            assertTrue(head.length > 1000, png);
            assertEquals((byte) 0x89, head[0]);
            assertEquals('P', head[1]);
        }
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary files remain");
        }
    }

    @Test
    void terminalTableHasARowPerSiteAndRegimeAndPooledRows() {
        String table = ComparisonTable.render(report());
        assertTrue(table.contains("roc_auc"));
        assertEquals(2, table.lines().filter(l -> l.startsWith("POOLED")).count());
        assertTrue(table.lines().anyMatch(l -> l.startsWith("b ") && l.contains("local") && l.contains("n/a")), table);
    }
}
