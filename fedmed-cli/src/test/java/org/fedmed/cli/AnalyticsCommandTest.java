package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsCommandTest {

    @Test
    void analyticsPrintsTheTableAndWritesJsonWithSmallCellsSuppressed(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Path json = dir.resolve("a.json");
        var r = FedmedCommandTest.run("analytics", "--dataset", "heart-disease", "--cross-tab", "cp",
                "--site-k", "va=10", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("k = 5 (pooled k 10)"), r.out());
        assertTrue(r.out().contains("supp"), r.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, root.get("sites").size());
        assertEquals("cleveland", root.get("sites").get(0).get("site").asText());
        assertEquals(10, root.get("sites").get(3).get("k").asLong());
        assertEquals(227 + 220 + 92 + 150, root.get("pooled").get("rows").asLong(),
                "the four hospitals' training rows (75% of each, stratified)");
    }

    @Test
    void aNumericCrossTabulationColumnIsAnErrorNamingIt(@TempDir Path dir) {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var r = FedmedCommandTest.run("analytics", "--dataset", "heart-disease", "--cross-tab", "age",
                "--json", dir.resolve("a.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cross-tabulation column 'age' is numeric"), r.err());
    }

    @Test
    void noiseOutsideTheGaussianMechanismsRangeIsRefused(@TempDir Path dir) {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var r = FedmedCommandTest.run("analytics", "--dataset", "heart-disease", "--epsilon", "2",
                "--json", dir.resolve("a.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("'epsilon' must lie in (0, 1)"), r.err());
    }

    @Test
    void survivalAnalyticsWritesCurvesTheLogRankTestAndAPlot(@TempDir Path dir) throws Exception {
        Path definition = org.fedmed.cli.deploy.SurvivalCohort.write(dir);
        Path json = dir.resolve("km.json");
        var r = FedmedCommandTest.run("analytics", "--dataset", definition.toString(), "--survival-time", "months",
                "--survival-event", "status", "--survival-edges", "0,6,12,18,24,36,48,60,72", "--survival-group",
                "arm", "--survival-levels", "control,treated", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("log-rank 'control' vs 'treated'"), r.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(List.of("all", "control", "treated"), root.get("curves").findValuesAsText("group"));
        assertTrue(root.get("log_rank").get("chi_square").asDouble() > 0, root.toString());
        byte[] png = java.nio.file.Files.readAllBytes(dir.resolve("km.png"));
        assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aSurvivalGroupWithoutLevelsOrCutIsAnErrorNamingTheFlags(@TempDir Path dir) throws Exception {
        Path definition = org.fedmed.cli.deploy.SurvivalCohort.write(dir);
        var r = FedmedCommandTest.run("analytics", "--dataset", definition.toString(), "--survival-time", "months",
                "--survival-event", "status", "--survival-edges", "0,12,72", "--survival-group", "arm",
                "--json", dir.resolve("km.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--survival-group needs exactly one of --survival-levels A,B and --survival-cut X"),
                r.err());
    }

    @Test
    void descriptiveAnalyticsOfARegressionAndOfASurvivalDatasetReportOneCountPerSite(@TempDir Path dir)
            throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        Path json = dir.resolve("age.json");
        var r = FedmedCommandTest.run("analytics", "--dataset", Path.of("..", "examples", "heart-age",
                "heart-age.yaml").toString(), "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, root.get("pooled").get("label_counts").size(), "a numeric label has one count, its rows");
        assertEquals(root.get("pooled").get("rows").asLong(), root.get("pooled").get("label_counts").get(0).asLong());

        Path definition = org.fedmed.cli.deploy.SurvivalCohort.write(dir);
        Path surv = dir.resolve("surv.json");
        var s = FedmedCommandTest.run("analytics", "--dataset", definition.toString(), "--json", surv.toString());
        assertEquals(0, s.exit(), s.err());
        assertEquals(3, new ObjectMapper().readTree(surv.toFile()).get("sites").size());
    }
}
