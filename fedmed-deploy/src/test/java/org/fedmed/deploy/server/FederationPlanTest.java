package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.ml.Models;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.ConfigLoader;
import org.fedmed.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

class FederationPlanTest {

    static SimulationConfig training(String yaml) {
        return ConfigLoader.parse(yaml, "training", Map.of());
    }

    /** No data is needed: the registry is given no folders at all. */
    static DatasetRegistry noData() {
        return new DatasetRegistry(List.of());
    }

    @Test
    void serverSizesTheModelFromTheSchemaAloneAsTheSimulationInitializesIt() {
        SimulationConfig cfg = training("dataset: heart-disease\nmissing_indicators: false\nseed: 9\n"
                + "model: {type: mlp, hidden: [8]}\n");
        FederationPlan plan = FederationPlan.of(cfg, 4, noData());
        assertEquals(2, plan.classes());
        var model = Models.build(ComparisonExperiment.modelSpec(cfg), plan.features(), plan.classes());
        assertArrayEquals(model.init(9).flat(), plan.initial().flat());
        assertEquals("fedavg", plan.strategy().name());
        assertEquals(plan.spec(), org.fedmed.ml.ModelSpec.parse(plan.specLabel()));
    }

    @Test
    void settingsThatNeedCodeAtTheSitesAreRefusedNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> FederationPlan.of(training(
                "secure_aggregation: {}\n"), 4, noData()));
        assertTrue(e.getMessage().contains("secure_aggregation"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FederationPlan.of(training(
                "dp: {noise: local, noise_multiplier: 1.0}\n"), 4, noData()));
        assertTrue(e.getMessage().contains("dp.noise"), e.getMessage());
    }

    @Test
    void centralDpRunsOnTheServer() {
        FederationPlan plan = FederationPlan.of(training("dp: {noise: central, noise_multiplier: 1.0}\n"), 4, noData());
        assertEquals("dp-fedavg", plan.strategy().name());
    }
}
