package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.BenchmarkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyBenchmarkTest {

    static final SimulationConfig BASE = ConfigLoader.parse("rounds: 3\nlocal_epochs: 1\n", "bench", Map.of());

    @Test
    void theGridRunsBothBaselinesOnceAndEveryStrategyPerSeedAndSummarizesOverSeeds(@TempDir Path out) throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var result = new StrategyBenchmark(BASE, registry, null).run(List.of("fedavg", "fedadam"),
                List.of("heart-disease"), List.of("iid", "dirichlet"), List.of(1L, 2L));
        assertEquals(8, result.cells().size(), "2 seeds x (local, centralized, fedavg, fedadam); heart-disease's own"
                + " hospitals are its sites, so it runs once, not once per partition");
        assertEquals(List.of("local", "centralized", "fedavg", "fedadam"),
                result.cells().subList(0, 4).stream().map(StrategyBenchmark.Cell::arm).toList());
        assertTrue(result.cells().stream().allMatch(c -> c.partition().equals("natural")));

        SimulationConfig direct = ConfigLoader.parse("rounds: 3\nlocal_epochs: 1\nstrategy: fedadam\nseed: 2\n"
                + "simulation: {regimes: [federated]}\n", "direct", Map.of());
        var report = new ComparisonExperiment(direct, null).run(SimulationData.load(direct, registry));
        assertEquals(report.regimes().get("federated").pooled(), result.cells().get(7).pooled(),
                "a grid cell is the same run as simulate with that strategy and seed");

        var fedadam = result.summary().stream().filter(s -> s.arm().equals("fedadam")).findFirst().orElseThrow();
        double a = result.cells().get(3).pooled().get("accuracy");
        double b = result.cells().get(7).pooled().get("accuracy");
        assertEquals((a + b) / 2, fedadam.mean().get("accuracy"), 1e-12);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), fedadam.sd().get("accuracy"), 1e-12, "sample sd of two values");
        assertEquals(2, fedadam.seeds());

        List<Path> files = new BenchmarkWriter().write(result, out);
        assertEquals(List.of("benchmark.csv", "summary.csv", "benchmark.json", "benchmark.png"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(5, summary.size(), "header and one row per arm: " + summary);
        assertTrue(summary.get(4).startsWith("heart-disease,natural,fedadam,2,"), summary.get(4));
        assertTrue(BenchmarkWriter.table(result).contains(String.format(java.util.Locale.ROOT, "%.4f +/- %.4f",
                fedadam.mean().get("accuracy"), fedadam.sd().get("accuracy"))));
    }

    @Test
    void aPartitionedDatasetRunsOncePerPartition() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.PIMA_DIABETES);
        var result = new StrategyBenchmark(ConfigLoader.parse("rounds: 2\nlocal_epochs: 1\nsimulation: {sites: 4}\n",
                "bench", Map.of()), registry, null).run(List.of("fedavg"),
                List.of("pima-diabetes"), List.of("iid", "dirichlet"), List.of(5L));
        assertEquals(List.of("iid", "iid", "iid", "dirichlet", "dirichlet", "dirichlet"),
                result.cells().stream().map(StrategyBenchmark.Cell::partition).toList());
    }
}
