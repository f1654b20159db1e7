package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.definition.ColumnDefinition;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/**
 * What the server plans to train, checked against literals worked out by hand from the dataset's documentation, not
 * against objects built with the calls the plan itself makes.
 */
class FederationPlanTest {

    /**
     * The model input width for heart-disease with per-site statistics and no missing-value indicators, counted from
     * the dataset's README (the 14 columns of every hospital's CSV), not from fedmed's code:
     * <ul>
     *   <li>{@code num} is the label, leaving 13 feature columns;</li>
     *   <li>4 of them are coded categories, one-hot encoded with every level kept: {@code cp} (1, 2, 3, 4: 4 columns),
     *       {@code restecg} (0, 1, 2: 3), {@code slope} (1, 2, 3: 3), {@code thal} (3, 6, 7: 3), 13 columns;</li>
     *   <li>the other 9 ({@code age, sex, trestbps, chol, fbs, thalach, exang, oldpeak, ca}) are one column each;</li>
     *   <li>no indicator columns.</li>
     * </ul>
     * 13 + 9 = 22.
     */
    static final int HEART_DISEASE_INPUTS = 22;

    static SimulationConfig training(String yaml) {
        return ConfigLoader.parse(yaml, "training", Map.of());
    }

    /** No data is needed: the registry is given no folders at all. */
    static DatasetRegistry noData() {
        return new DatasetRegistry(List.of());
    }

    static final String MLP_TRAINING = """
            dataset: heart-disease
            simulation:
              stats: per_site
              missing_indicators: false
            model: {type: mlp, hidden: [8]}
            strategy: uniform
            rounds: 7
            patience: 2
            min_delta: 0.01
            round_deadline_seconds: 30
            max_site_weight_share: 0.4
            max_count_growth: 3
            min_rows: 12
            local_epochs: 3
            batch_size: 16
            lr: 0.05
            send: delta
            seed: 9
            """;

    /** An MLP with 8 hidden units over the 22 inputs and one output logit (binary label num > 0). */
    static void assertHeartDiseaseMlpLayout(FederationPlan plan) {
        ParameterLayout expected = ParameterLayout.of(
                List.of("dense0.weight", "dense0.bias", "dense1.weight", "dense1.bias"),
                List.of(new int[] {8, 22}, new int[] {8}, new int[] {1, 8}, new int[] {1}));
        assertEquals(expected, plan.initial().layout());
        assertEquals(8 * 22 + 8 + 8 + 1, plan.initial().size());
        assertEquals(HEART_DISEASE_INPUTS, plan.features());
        assertEquals(2, plan.classes());
    }

    @Test
    void heartDiseaseMlpHasTheLayoutCountedFromTheDatasetSchema() {
        FederationPlan plan = FederationPlan.of(training(MLP_TRAINING), 4, noData());
        assertHeartDiseaseMlpLayout(plan);
        assertEquals(List.of(8), ((org.fedmed.ml.DenseSpec) plan.spec()).hidden());
        assertEquals(plan.spec(), ModelSpec.parse(plan.specLabel()), "the label sites approve is the spec itself");
    }

    @Test
    void initialParametersAreTheDocumentedSchemeDrawnFromTheRunSeed() {
        FederationPlan plan = FederationPlan.of(training(MLP_TRAINING), 4, noData());
        // InitScheme.AUTO: He uniform U(-a, a), a = sqrt(6 / fan_in), for the hidden layer; Xavier uniform,
        // a = sqrt(6 / (fan_in + fan_out)), for the output layer; biases zero; one SplittableRandom(seed) drawing
        // each weight matrix row-major, layer after layer. The seed is stream INIT of run seed 9: the first 8 bytes
        // of SHA-256 over the encoding Seeds documents, computed outside Java.
        SplittableRandom rng = new SplittableRandom(6329621277282664298L);
        List<Float> expected = new ArrayList<>();
        double he = Math.sqrt(6.0 / 22);
        for (int i = 0; i < 8 * 22; i++) {
            expected.add((float) ((2 * rng.nextDouble() - 1) * he));
        }
        for (int i = 0; i < 8; i++) {
            expected.add(0f);
        }
        double xavier = Math.sqrt(6.0 / (8 + 1));
        for (int i = 0; i < 8; i++) {
            expected.add((float) ((2 * rng.nextDouble() - 1) * xavier));
        }
        expected.add(0f);
        float[] want = new float[expected.size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = expected.get(i);
        }
        assertArrayEquals(want, plan.initial().flat());
    }

    @Test
    void strategyFitAndEngineSettingsAreTheConfiguredOnes() {
        FederationPlan plan = FederationPlan.of(training(MLP_TRAINING), 4, noData());
        assertEquals("uniform", plan.strategy().name());
        assertEquals(new FitConfig(3, 16, 0.05, true, 9), plan.fit());
        assertEquals(new EngineConfig(new StoppingRule(7, 2, 0.01), Duration.ofSeconds(30), 1, "log_loss", 3, 9,
                new InfluenceLimits(0.4, 3.0), 12), plan.engine());
    }

    @Test
    void unsetKeysGiveTheDocumentedDefaults() {
        FederationPlan plan = FederationPlan.of(training("""
                dataset: heart-disease
                simulation:
                  stats: per_site
                  missing_indicators: false
                """), 4, noData());
        assertEquals(ParameterLayout.of(List.of("dense0.weight", "dense0.bias"),
                List.of(new int[] {1, 22}, new int[] {1})), plan.initial().layout(), "logistic regression");
        assertEquals("fedavg", plan.strategy().name());
        assertEquals(new FitConfig(2, 32, 0.1, false, 42), plan.fit());
        assertEquals(new EngineConfig(new StoppingRule(100, 0, 1e-4), Duration.ofSeconds(600), 1, "log_loss", 3, 42,
                new InfluenceLimits(0.5, 2.0), 10), plan.engine());
    }

    /**
     * The control: a schema with one extra numeric column makes the plan 23 inputs wide, and the literal layout
     * check fails on it, while the expectation the old test built with the plan's own calls still passes.
     */
    @Test
    void oneExtraInputColumnFailsTheLayoutCheck() {
        DatasetDefinition heart = noData().entry(BuiltInDatasets.HEART_DISEASE);
        List<ColumnDefinition> columns = new ArrayList<>(heart.columns());
        columns.add(ColumnDefinition.numeric("extra"));
        DatasetDefinition widened = heart.withColumns(columns);
        FederationPlan plan = FederationPlan.of(training(MLP_TRAINING), 4,
                new DatasetRegistry(List.of(), List.of(widened)));

        assertEquals(23, plan.features());
        AssertionError e = assertThrows(AssertionError.class, () -> assertHeartDiseaseMlpLayout(plan));
        assertTrue(e.getMessage().contains("dense0.weight[8, 23]"), e.getMessage());
        assertEquals(Models.build(plan.spec(), plan.features(), plan.classes()).layout(), plan.initial().layout(),
                "a model built with the plan's own calls cannot tell");
    }

    @Test
    void secureAggregationIsAcceptedAndWrapsTheStrategy() {
        FederationPlan plan = FederationPlan.of(training("secure_aggregation: {}\n"), 4, noData());
        assertEquals("fedavg+secagg+", plan.strategy().name());
    }

    @Test
    void settingsThatNeedCodeAtTheSitesAreRefusedNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> FederationPlan.of(training(
                "site_dp: {clip_norm: 1.0, noise_multiplier: 1.1}\n"), 4, noData()));
        assertTrue(e.getMessage().contains("site_dp"), e.getMessage());
    }

    /**
     * Local noise: every fit task asks its site to clip to dp.clip_norm and add noise of dp.noise_multiplier (one
     * share: the site adds all of it), as a typed local term beside the plan's own terms.
     */
    @Test
    void localNoiseFitTasksAskEachSiteToClipAndAddTheWholeNoise() {
        FederationPlan plan = FederationPlan.of(training(
                "dp: {noise: local, noise_multiplier: 1.5, clip_norm: 0.25, sampling: fixed, sites_per_round: 2}\n"),
                4, noData());
        assertEquals("dp-fedavg-local", plan.strategy().name());
        var tasks = plan.strategy().configureFit(new org.fedmed.core.strategy.RoundContext(1, plan.initial(),
                List.of("a", "b", "c", "d"), 7));
        assertEquals(2, tasks.size());
        for (var t : tasks) {
            assertEquals(List.of(new org.fedmed.core.LocalTerm.UpdateNoise(0.25, 1.5, 1.0)), t.config().terms());
        }
    }

    /**
     * Distributed noise needs secure aggregation in deployment as in simulate: without it the config is refused
     * naming both keys.
     */
    @Test
    void distributedNoiseIsRefusedWithoutSecureAggregationNamingTheKeys() {
        var e = assertThrows(IllegalArgumentException.class, () -> FederationPlan.of(training(
                "dp: {noise: distributed, noise_multiplier: 1.0}\n"), 4, noData()));
        assertTrue(e.getMessage().contains("'dp.noise'") && e.getMessage().contains("secure_aggregation"),
                e.getMessage());
    }

    @Test
    void centralDpRunsOnTheServer() {
        FederationPlan plan = FederationPlan.of(training("dp: {noise: central, noise_multiplier: 1.0}\n"), 4, noData());
        assertEquals("dp-fedavg", plan.strategy().name());
    }
}
