package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedmed simulate --dataset tcga-brca --model cox}: a Cox federation from flags alone, reported by C-index. */
class SimulateSurvivalCommandTest {

    @Test
    void modelCoxOnTheBuiltInSurvivalDatasetReportsTheCIndexPerRegionAndPooled(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        var r = FedmedCommandTest.run("simulate", "--dataset", "tcga-brca", "--model", "cox", "--rounds", "2",
                "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("model cox"), r.out());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertTrue(results.toString().contains("\"c_index\""), "results.json holds the C-index");
        for (String regime : new String[] {"local", "federated", "centralized"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("POOLED") && l.contains(regime)),
                    regime + " has a pooled row:\n" + r.out());
        }
        var dense = FedmedCommandTest.run("simulate", "--dataset", "tcga-brca", "--model", "logistic", "--rounds", "1",
                "--out", dir.resolve("dense").toString(), "--no-progress");
        assertEquals(2, dense.exit(), dense.out() + dense.err());
        assertTrue(dense.err().contains("does not train on a survival label"), dense.err());
    }
}
