package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedmed simulate} with a {@code population:} section prints and records the population's figures. */
class SimulatePopulationCommandTest {

    @Test
    void aPopulationPlanPrintsAndRecordsItsSizeSampledSitesAndEachRoundsTimeSplit(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("population.yaml"), """
                rounds: 2
                sites_per_round: 15
                local_epochs: 1
                max_site_weight_share: 1
                population:
                  size: 50000
                  regions: 3
                  hierarchical: true
                  evaluation_sites: 5
                  rows: {median: 30, min: 20, max: 60}
                  wearable: {features: 4}
                """);
        var r = FedmedCommandTest.run("simulate", "--config", plan.toString(), "--out", dir.resolve("out").toString(),
                "--no-progress");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("fedmed simulate: population of 50000 virtual sites (wearable), 15 sampled per"
                + " round, 3 region(s), aggregated by region, evaluated on a sample of 5"), r.out());
        assertTrue(r.out().contains("population: 50000 virtual sites (wearable, wearable), 3 region(s), aggregated by"
                + " region; evaluated on 5 sampled sites"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+2\\s+15\\s+15\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+")),
                r.out());
        assertTrue(r.out().contains("per round (mean of 2): 15.0 sites sampled"), r.out());
        assertTrue(r.out().contains("the federated model is not exported"), r.out());
        JsonNode population = new ObjectMapper().readTree(dir.resolve("out").resolve("results.json").toFile())
                .get("population");
        assertEquals(50_000, population.get("size").asLong());
        assertEquals(5, population.get("evaluation_sites").size());
        assertEquals(15, population.get("rounds").get(1).get("sampled").asInt());
        assertTrue(population.get("rounds").get(0).get("build_millis").isIntegralNumber(), population.toString());
    }
}
