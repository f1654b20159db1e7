package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.BenchmarkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark grid and the hyperparameter search over a Cox plan (examples/flamby-tcga, TCGA-BRCA's six regions)
 * report the survival objective's metrics: the C-index and the Cox loss, ranked by the Cox loss.
 */
class SurvivalObjectiveReportsTest {

    static SimulationConfig plan() throws Exception {
        String yaml = Files.readString(Path.of("..", "examples", "flamby-tcga", "simulate.yaml"))
                .replace("rounds: 5", "rounds: 2").replace("local_steps: 100", "local_steps: 10");
        return ConfigLoader.parse(yaml, "flamby-tcga", java.util.Map.of());
    }

    @Test
    void aCoxBenchmarkReportsTheCIndexAndTheCoxLossAndPlotsTheCIndex(@TempDir Path out) throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        var result = new StrategyBenchmark(plan(), registry, null).run(List.of("fedavg"), List.of("tcga-brca"),
                List.of("iid"), List.of(1L));
        StrategyBenchmark.Cell fed = result.cells().get(2);
        assertEquals(List.of("c_index", "cox_loss"), fed.metrics());
        double c = fed.pooled().get("c_index");
        assertTrue(c > 0 && c < 1, "a C-index: " + c);
        new BenchmarkWriter().write(result, out);
        List<String> cells = Files.readAllLines(out.resolve("benchmark.csv"));
        assertEquals("dataset,partition,arm,seed,c_index,cox_loss,wall_millis", cells.getFirst());
        assertTrue(cells.get(3).startsWith("tcga-brca,natural,fedavg,1," + String.format(Locale.ROOT, "%.6f", c)),
                cells.get(3));
        String table = BenchmarkWriter.table(result);
        assertFalse(table.contains("accuracy") || table.contains("rmse"), table);
    }

    @Test
    void aCoxSearchRanksByTheCoxLossAndShowsTheCIndex() throws Exception {
        TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        SimulationConfig cfg = plan();
        var outcome = new HyperparameterSearch(cfg, null).run(SimulationData.load(cfg, DatasetRegistry.fromEnvironment()),
                List.of(0.01, 0.1), List.of(1), List.of(8), 0.2);
        assertEquals("cox_loss", outcome.criterion());
        assertEquals("c_index", outcome.headline());
    }
}
