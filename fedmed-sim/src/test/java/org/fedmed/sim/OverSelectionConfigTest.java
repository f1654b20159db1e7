package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.config.ConfigException;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/** The {@code over_selection} key: its checks, and that it reaches the strategy and the rounds it runs. */
class OverSelectionConfigTest {

    static SimulationConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "sim.yaml", Map.of());
    }

    @Test
    void negativeOverSelectionIsRejectedNamingTheKeyAndFile() {
        var e = assertThrows(ConfigException.class, () -> parse("over_selection: -0.5\n"));
        assertTrue(e.getMessage().contains("over_selection") && e.getMessage().contains("sim.yaml"), e.getMessage());
    }

    @Test
    void overSelectionAboveTenOrNotFiniteIsRejectedNamingTheKey() {
        for (double bad : new double[]{10.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse("", "sim.yaml", Map.of("over_selection", bad)));
            assertTrue(e.getMessage().contains("'over_selection'"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void overSelectionWithDpIsRejectedNamingBothKeys() {
        var e = assertThrows(ConfigException.class, () -> parse("over_selection: 0.5\ndp: {noise_multiplier: 1.0}\n"));
        assertTrue(e.getMessage().contains("over_selection") && e.getMessage().contains("'dp'"), e.getMessage());
        assertEquals(0.0, parse("over_selection: 0\ndp: {noise_multiplier: 1.0}\n").overSelection());
    }

    @Test
    void overSelectionWithSecureAggregationIsRejectedNamingBothKeys() {
        var e = assertThrows(ConfigException.class, () -> parse("over_selection: 1\nsecure_aggregation: {}\n"));
        assertTrue(e.getMessage().contains("over_selection") && e.getMessage().contains("secure_aggregation"),
                e.getMessage());
    }

    @Test
    void defaultIsZeroAndOnlyASetValueAppearsInTheConfigMap() {
        assertEquals(0.0, SimulationConfig.defaults().overSelection());
        assertFalse(ConfigLoader.toMap(SimulationConfig.defaults()).containsKey("over_selection"),
                "configs without the key serialize as before");
        SimulationConfig set = parse("over_selection: 0.25\n");
        assertEquals(0.25, set.overSelection());
        assertEquals(0.25, ConfigLoader.toMap(set).get("over_selection"));
    }

    @Test
    void serverStrategySamplesHalfAgainAndWantsTheSelectionsCount() {
        SimulationConfig c = parse("sites_per_round: 2\nover_selection: 0.5\n");
        Strategy s = FederatedSetup.forServer(c, new FitConfig(1, 8, 0.1, false, 0), 4).strategy();
        ModelParameters global = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[2])));
        RoundContext context = new RoundContext(1, global, List.of("a", "b", "c", "d"), 42);
        var tasks = s.configureFit(context);
        assertEquals(3, tasks.size());
        assertEquals(2, s.fitResultsWanted(context, tasks.size()));
    }

    @Test
    void simulatedRoundsSampleThreeCloseWithTwoAndRecordTheCutSite() {
        FederatedDataset data = SyntheticFederation.build(5, 120, 80, 100, 60);
        var report = new ComparisonExperiment(parse("""
                rounds: 3
                simulation:
                  regimes: [federated]
                sites_per_round: 2
                min_fit_sites: 2
                over_selection: 0.5
                """), null).run(data);
        for (var r : report.federated().rounds()) {
            assertEquals(3, r.selected().size(), r.selected().toString());
            assertTrue(r.completed());
            assertEquals(2, r.succeeded().size(), "closed at k = 2: " + r.succeeded());
            var cut = r.failures().stream().filter(f -> f.reason().contains("over-selection")).toList();
            assertEquals(1, cut.size(), r.failures().toString());
            assertTrue(r.selected().contains(cut.getFirst().siteId()));
        }
    }
}
