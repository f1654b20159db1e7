package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.objective.Objective;
import org.fedmed.core.objective.RegressionLoss;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/**
 * A server resolves the objective from the dataset definition's label kind and the model spec's loss, once, reading
 * no data; its engine watches that objective's loss and its console log prints that loss and score.
 */
class RegressionPlanTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "heart-age");

    private static FederationPlan plan(String model) {
        SimulationConfig training = ConfigLoader.parse("dataset: heart-age.yaml\none_hot: drop_first\nmodel: " + model
                + "\n", "training", Map.of());
        return FederationPlan.of(training, 4, new DatasetRegistry(List.of()), EXAMPLE);
    }

    @Test
    void aContinuousLabelMakesTheServersPlanARegressionThatWatchesItsLoss() {
        FederationPlan mse = plan("{type: logistic}");
        assertEquals(new Objective.Regression(RegressionLoss.MSE), mse.objective());
        assertEquals(0, mse.classes());
        assertEquals("mse", mse.engine().lossMetric());
        FederationPlan mae = plan("{type: mlp, hidden: [4], loss: mae}");
        assertEquals(new Objective.Regression(RegressionLoss.MAE), mae.objective());
        assertEquals("mae", mae.engine().lossMetric());
        // a linear model with one output, whatever the number of inputs
        assertEquals(1, mse.initial().layout().entries().get(0).shape()[0]);
        assertEquals(List.of("dense0.weight", "dense0.bias"),
                mse.initial().layout().entries().stream().map(e -> e.name()).toList());
    }

    @Test
    void aBinaryLabelKeepsWatchingLogLoss() {
        SimulationConfig training = ConfigLoader.parse("dataset: heart-disease\n", "training", Map.of());
        FederationPlan plan = FederationPlan.of(training, 4, new DatasetRegistry(List.of()));
        assertEquals(new Objective.Classification(2), plan.objective());
        assertEquals("log_loss", plan.engine().lossMetric());
    }

    @Test
    void theRoundLogPrintsTheObjectivesLossAndScore() {
        Map<String, Double> regression = Map.of("mse", 61.5, "r2", 0.25, "r2_median", 0.2, "rmse", 7.84);
        assertEquals("round 3/10: 2 of 2 sites delivered, mse 61.5000, r2 0.2500 (median over sites 0.2000) (0.01 s)",
                printed(new Objective.Regression(RegressionLoss.MSE), regression));
        Map<String, Double> classification = Map.of("log_loss", 0.5, "roc_auc", 0.8, "accuracy", 0.7);
        assertEquals("round 3/10: 2 of 2 sites delivered, log_loss 0.5000, roc_auc 0.8000 (0.01 s)",
                printed(new Objective.Classification(2), classification));
    }

    private static String printed(Objective objective, Map<String, Double> eval) {
        StringWriter text = new StringWriter();
        RoundPrinter printer = new RoundPrinter(new PrintWriter(text), objective, 10);
        printer.roundFinished(new RoundRecord(3, List.of("a", "b"), List.of("a", "b"), List.of(), true, Map.of(), eval,
                Map.of(), 10), null);
        String out = text.toString().strip();
        assertTrue(out.lines().count() == 1, out);
        return out;
    }
}
