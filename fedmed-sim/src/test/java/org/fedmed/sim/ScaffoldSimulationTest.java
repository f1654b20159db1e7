package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.strategy.Scaffold;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.FederatedSummary;
import org.junit.jupiter.api.Test;

/** {@code strategy: scaffold} in a simulation: the config builds SCAFFOLD, and its rounds run end to end in process. */
class ScaffoldSimulationTest {

    static SimulationConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "sim.yaml", Map.of());
    }

    static FederatedSummary run(String strategy) {
        FederatedDataset data = SyntheticFederation.build(5, 120, 80, 100, 60);
        return new ComparisonExperiment(parse("""
                rounds: 3
                strategy: %s
                local_steps: 5
                simulation:
                  regimes: [federated]
                """.formatted(strategy)), null).run(data).federated();
    }

    @Test
    void strategyScaffoldBuildsTheScaffoldStrategyOverTheFederation() {
        var s = FederatedSetup.forServer(parse("strategy: scaffold\n"), new FitConfig(1, 8, 0.1, true, 0), 4).strategy();
        assertInstanceOf(Scaffold.class, s);
        assertEquals("scaffold", s.name());
    }

    @Test
    void aSimulatedScaffoldRunCompletesEveryRoundReproduciblyAndDiffersFromFedAvgAfterItsFirstRound() {
        FederatedSummary scaffold = run("scaffold");
        FederatedSummary again = run("scaffold");
        FederatedSummary fedavg = run("fedavg");
        assertEquals("scaffold", scaffold.strategy());
        assertEquals(3, scaffold.roundsRun());
        scaffold.rounds().forEach(r -> assertTrue(r.completed(), r.failures().toString()));
        assertArrayEquals(again.finalModel().flat(), scaffold.finalModel().flat(), "same seed, same model");
        assertFalse(Arrays.equals(fedavg.finalModel().flat(), scaffold.finalModel().flat()),
                "the control variates change the model from round 2 on");
    }
}
