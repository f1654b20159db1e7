package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.BenchmarkWriter;
import org.fedmed.sim.report.TradeoffWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark grid, the privacy trade-off and the hyperparameter search report the objective's metrics: on the
 * regression example (examples/heart-age, age from the other measurements) they show RMSE, MAE, R² and MSE, rank by
 * the watched loss (MSE), and no classification metric appears.
 */
class ObjectiveReportsTest {

    static final Path DEFINITION = Path.of("..", "examples", "heart-age", "heart-age.yaml").toAbsolutePath();

    /** examples/heart-age/simulate.yaml with few rounds. */
    static SimulationConfig plan(String extra) throws Exception {
        String yaml = Files.readString(DEFINITION.resolveSibling("simulate.yaml"))
                .replace("dataset: heart-age.yaml", "dataset: " + DEFINITION)
                .replace("rounds: 40", "rounds: 3");
        return ConfigLoader.parse(yaml + extra, "heart-age", Map.of());
    }

    @Test
    void aRegressionBenchmarkReportsRmseMaeAndR2AndPlotsRmse(@TempDir Path out) throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var result = new StrategyBenchmark(plan(""), registry, null).run(List.of("fedavg"),
                List.of(DEFINITION.toString()), List.of("iid"), List.of(1L));
        assertEquals(3, result.cells().size());
        StrategyBenchmark.Cell fed = result.cells().get(2);
        assertEquals(List.of("rmse", "mae", "r2", "mse"), fed.metrics());
        assertEquals(Math.sqrt(fed.pooled().get("mse")), fed.pooled().get("rmse"), 1e-9);

        new BenchmarkWriter().write(result, out);
        List<String> cells = Files.readAllLines(out.resolve("benchmark.csv"));
        assertEquals("dataset,partition,arm,seed,rmse,mae,r2,mse,wall_millis", cells.getFirst());
        assertTrue(cells.get(3).startsWith("heart-age,natural,fedavg,1," + String.format(Locale.ROOT, "%.6f",
                fed.pooled().get("rmse")) + ","), cells.get(3));
        assertTrue(Files.readString(out.resolve("summary.csv")).startsWith("dataset,partition,arm,seeds,rmse_mean,"
                + "rmse_sd,mae_mean,mae_sd,r2_mean,r2_sd,mse_mean,mse_sd\n"));
        String table = BenchmarkWriter.table(result);
        assertFalse(table.contains("accuracy") || table.contains("roc_auc") || table.contains("log_loss"), table);
        assertTrue(Files.size(out.resolve("benchmark.png")) > 0);
    }

    @Test
    void aMixedGridKeepsEachObjectivesColumnsAndLeavesTheOthersEmpty(@TempDir Path out) throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var regression = new StrategyBenchmark(plan(""), registry, null).run(List.of("fedavg"),
                List.of(DEFINITION.toString()), List.of("iid"), List.of(1L));
        var classification = new StrategyBenchmark(ConfigLoader.parse("rounds: 2\nlocal_epochs: 1\n", "c", Map.of()),
                registry, null).run(List.of("fedavg"), List.of("heart-disease"), List.of("iid"), List.of(1L));
        List<StrategyBenchmark.Cell> both = new java.util.ArrayList<>(classification.cells());
        both.addAll(regression.cells());
        new BenchmarkWriter().write(new StrategyBenchmark.Result(both, 0, 0), out);
        List<String> lines = Files.readAllLines(out.resolve("benchmark.csv"));
        assertEquals("dataset,partition,arm,seed,accuracy,balanced_accuracy,roc_auc,log_loss,rmse,mae,r2,mse,"
                + "wall_millis", lines.getFirst());
        assertTrue(lines.get(1).matches("heart-disease,natural,local,1,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,,,,,\\d+"),
                lines.get(1));
        assertTrue(lines.get(4).matches("heart-age,natural,local,1,,,,,[0-9.]+,[0-9.]+,-?[0-9.]+,[0-9.]+,\\d+"),
                lines.get(4));
    }

    @Test
    void aRegressionPrivacyTradeoffReportsAndPlotsItsMetrics(@TempDir Path out) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = plan("dp: {clip_norm: 1.0, delta: 1.0e-5, noise: central}\n");
        var result = new PrivacyTradeoff(cfg, null).run(SimulationData.load(cfg, DatasetRegistry.fromEnvironment()),
                List.of(1.0));
        assertEquals(List.of("rmse", "mae", "r2", "mse"), result.metrics());
        assertEquals("r2", result.headline());
        new TradeoffWriter().write(result, out);
        List<String> csv = Files.readAllLines(out.resolve("tradeoff.csv"));
        assertEquals("noise_multiplier,epsilon,delta,rounds,rmse,mae,r2,mse", csv.getFirst());
        assertTrue(csv.get(1).startsWith("none,inf,1.0E-5,3," + String.format(Locale.ROOT, "%.6f",
                result.points().getFirst().pooled().get("rmse"))), csv.get(1));
        assertTrue(Files.size(out.resolve("tradeoff.png")) > 0);
    }

    @Test
    void aRegressionSearchRanksByTheWatchedLossAndShowsRSquared() throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = plan("");
        var outcome = new HyperparameterSearch(cfg, null).run(SimulationData.load(cfg, DatasetRegistry.fromEnvironment()),
                List.of(0.005, 0.02), List.of(1), List.of(32), 0.2);
        assertEquals("mse", outcome.criterion());
        assertEquals("r2", outcome.headline());
        assertTrue(outcome.trials().get(0).validation().get("mse") <= outcome.trials().get(1).validation().get("mse"));
    }
}
