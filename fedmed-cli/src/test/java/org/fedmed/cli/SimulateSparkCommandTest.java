package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedmed simulate --engine spark} on a population plan: the same results as in process. */
class SimulateSparkCommandTest {

    @Test
    void aPopulationPlanOnSparkGivesTheInProcessRunsFederatedResultsExactly(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("population.yaml"), """
                rounds: 2
                sites_per_round: 40
                local_epochs: 1
                max_site_weight_share: 1
                population:
                  size: 20000
                  regions: 3
                  hierarchical: true
                  evaluation_sites: 8
                  rows: {median: 30, min: 20, max: 60}
                  wearable: {features: 4}
                """);
        var local = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--out",
                dir.resolve("local").toString(), "--no-progress");
        assertEquals(0, local.exit(), local.err());
        var spark = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--engine", "spark",
                "--spark-threads", "2", "--out", dir.resolve("spark").toString(), "--no-progress");
        assertEquals(0, spark.exit(), spark.err());
        assertTrue(spark.out().contains("engine: spark local[2]"), spark.out());
        assertTrue(local.out().contains("engine: in-process"), local.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(dir.resolve("local").resolve("results.json").toFile());
        JsonNode b = json.readTree(dir.resolve("spark").resolve("results.json").toFile());
        assertEquals(a.at("/regimes/federated/pooled"), b.at("/regimes/federated/pooled"));
        assertEquals(a.at("/regimes/federated/sites"), b.at("/regimes/federated/sites"));
        assertTrue(a.at("/regimes/federated/pooled/log_loss").isNumber(), a.at("/regimes/federated").toString());
        assertEquals(40, b.at("/population/rounds/1/sampled").asInt());
    }
}
