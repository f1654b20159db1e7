package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.junit.jupiter.api.Test;

class StrategyConfigTest {

    static SimulationConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "sim.yaml", Map.of());
    }

    @Test
    void fedAdamStepsWithAdamAtFlambysServerLearningRateUnlessTheConfigSetsOne() {
        SimulationConfig c = parse("strategy: fedadam\n");
        assertEquals(new ServerOptimizerSettings(ServerOptimizerSettings.Kind.ADAM, 0.01, 0.9, 0.9, 0.99, 1e-3),
                c.strategy().serverOptimizer());
        assertEquals(SiteWeighting.SAMPLE_COUNT, c.strategy().weighting());
        SimulationConfig tuned = parse("strategy: fedyogi\nserver_lr: 0.03\nserver_optimizer: {beta2: 0.9, tau: 0.01}\n");
        assertEquals(new ServerOptimizerSettings(ServerOptimizerSettings.Kind.YOGI, 0.03, 0.9, 0.9, 0.9, 0.01),
                tuned.strategy().serverOptimizer());
        assertEquals(tuned, ConfigLoader.parse("", "again", ConfigLoader.toMap(tuned)), "written and read back");
    }

    @Test
    void anOptimizerKeyTheStrategyDoesNotUseIsRefusedNamingWhoUsesIt() {
        var e = assertThrows(RuntimeException.class, () -> parse("strategy: fedavg\nserver_optimizer: {beta1: 0.5}\n"));
        assertTrue(e.getMessage().contains("'server_optimizer.beta1' is not used by strategy 'fedavg' (only by fedadam,"
                + " fedyogi, fedadagrad)"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> parse("strategy: fedadagrad\nserver_optimizer: {beta2: 0.5}\n"));
        assertTrue(e.getMessage().contains("'server_optimizer.beta2' is not used by strategy 'fedadagrad'"),
                e.getMessage());
    }

    @Test
    void fedProxGivesEverySitesFitTheProximalTermAtItsMu() {
        SimulationConfig c = parse("strategy: fedprox\n");
        assertEquals(List.of(new LocalTerm.Proximal(0.01)), PlanSettings.fitConfig(c).terms());
        SimulationConfig mu = parse("strategy: fedprox\nprox_mu: 0.5\n");
        assertEquals(List.of(new LocalTerm.Proximal(0.5)), PlanSettings.fitConfig(mu).terms());
        assertEquals(mu, ConfigLoader.parse("", "again", ConfigLoader.toMap(mu)));
        assertEquals(List.of(), PlanSettings.fitConfig(parse("strategy: fedavg\n")).terms());
        assertEquals(List.of(new LocalTerm.Proximal(0.1)),
                PlanSettings.fitConfig(parse("strategy: fedadam\nprox_mu: 0.1\n")).terms(),
                "a proximal term may go with a server optimizer");
    }

    @Test
    void fedProxWithoutAProximalTermIsRefused() {
        var e = assertThrows(RuntimeException.class, () -> parse("strategy: fedprox\nprox_mu: 0\n"));
        assertTrue(e.getMessage().contains("'prox_mu' must be > 0 for strategy 'fedprox'"), e.getMessage());
    }

    @Test
    void cyclicIsRefusedWithDpNamingTheConflict() {
        var e = assertThrows(RuntimeException.class, () -> parse("strategy: cyclic\ndp: {noise_multiplier: 1}\n"));
        assertTrue(e.getMessage().contains("'cyclic' trains one site per round"), e.getMessage());
    }

    @Test
    void anUnknownStrategyListsEveryKnownOne() {
        var e = assertThrows(RuntimeException.class, () -> parse("strategy: fedbogus\n"));
        assertTrue(e.getMessage().contains("fedadam") && e.getMessage().contains("cyclic")
                && e.getMessage().contains("fedprox"), e.getMessage());
    }

    @Test
    void aRobustRuleIsReadWithItsFieldsAndWrittenBack() {
        SimulationConfig c = parse("strategy: fedadam\nmin_fit_sites: 5\naggregation: {rule: multi_krum, byzantine: 1,"
                + " selected: 2, norm_bound: 3.5}\n");
        assertEquals(new AggregationRule.MultiKrum(1, 2), c.strategy().rule());
        assertEquals(3.5, c.strategy().normBound());
        assertEquals(c, ConfigLoader.parse("", "again", ConfigLoader.toMap(c)));
        assertEquals(new AggregationRule.TrimmedMean(0.1), parse("aggregation: {rule: trimmed_mean}\n").strategy().rule());
        assertEquals(new AggregationRule.Mean(), parse("strategy: fedavg\n").strategy().rule());
        Strategy s = FederatedSetup.forServer(c, PlanSettings.fitConfig(c), 6).strategy();
        assertEquals("fedadam", s.name());
    }

    @Test
    void maxUpdateNormReachesTheRoundIntakeThroughTheEngineConfigAndIsWrittenBack() {
        SimulationConfig c = parse("aggregation: {max_update_norm: 2.5}\n");
        assertEquals(2.5, c.strategy().maxUpdateNorm());
        assertEquals(2.5, PlanSettings.engineConfig(c, new org.fedmed.core.objective.Objective.Classification(2)).influence().maxUpdateNorm());
        assertEquals(c, ConfigLoader.parse("", "again", ConfigLoader.toMap(c)));
        SimulationConfig none = parse("strategy: fedavg\n");
        assertEquals(Double.POSITIVE_INFINITY, PlanSettings.engineConfig(none, new org.fedmed.core.objective.Objective.Classification(2)).influence().maxUpdateNorm());
        var median = parse("min_fit_sites: 3\naggregation: {rule: median, max_update_norm: 4}\n");
        assertEquals(4.0, median.strategy().maxUpdateNorm());
    }

    @Test
    void maxUpdateNormThatIsNotPositiveOrMeetsDpOrSecureAggregationIsRefusedNamingTheKey() {
        for (String bad : List.of("0", "-1", "-0.5")) {
            var e = assertThrows(RuntimeException.class, () -> parse("aggregation: {max_update_norm: " + bad + "}\n"));
            assertTrue(e.getMessage().contains("'aggregation.max_update_norm' must be a positive finite number"),
                    bad + ": " + e.getMessage());
        }
        for (String extra : List.of("dp: {noise_multiplier: 1}", "secure_aggregation: {topology: classic}")) {
            var e = assertThrows(RuntimeException.class, () -> parse("aggregation: {max_update_norm: 3}\n" + extra
                    + "\n"));
            assertTrue(e.getMessage().contains("'aggregation.max_update_norm' cannot be combined with 'dp'"),
                    extra + ": " + e.getMessage());
        }
    }

    @Test
    void aFieldOfAnotherRuleOrTooFewSitesForKrumIsRefusedNamingTheKey() {
        var e = assertThrows(RuntimeException.class, () -> parse("aggregation: {rule: median, trim: 0.2}\n"));
        assertTrue(e.getMessage().contains("'aggregation.trim' is only used by rule 'trimmed_mean', not 'median'"),
                e.getMessage());
        e = assertThrows(RuntimeException.class, () -> parse("aggregation: {rule: krum, byzantine: 2}\n"));
        assertTrue(e.getMessage().contains("'min_fit_sites' must be at least 7 for aggregation rule 'krum'"),
                e.getMessage());
        e = assertThrows(RuntimeException.class, () -> parse("aggregation: {rule: multi_krum}\n"));
        assertTrue(e.getMessage().contains("'aggregation.selected' is required"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> parse("aggregation: {rule: median}\ndp: {noise_multiplier: 1}\n"));
        assertTrue(e.getMessage().contains("'median' needs to see each update"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> parse("aggregation: {rule: mode}\n"));
        assertTrue(e.getMessage().contains("unknown value 'mode'"), e.getMessage());
    }

    @Test
    void scaffoldIsRefusedWithDpOrSecureAggregationNamingWhy() {
        for (String extra : List.of("dp: {noise_multiplier: 1}", "secure_aggregation: {topology: classic}",
                "aggregation: {rule: median}", "personalization: {kind: ditto, lambda: 0.5}")) {
            var e = assertThrows(RuntimeException.class, () -> parse("strategy: scaffold\n" + extra + "\n"));
            assertTrue(e.getMessage().contains("'strategy'")
                    && e.getMessage().contains("'scaffold' needs each site's control-variate update"), extra + ": "
                    + e.getMessage());
        }
        var e = assertThrows(RuntimeException.class, () -> parse("strategy: scaffold\ndp: {noise_multiplier: 1}\n"));
        assertTrue(e.getMessage().contains("the server would see each site's Delta c"), e.getMessage());
    }

    @Test
    void scaffoldAndFedProxRunWithSiteDpSgd() {
        SimulationConfig scaffold = parse("strategy: scaffold\nsite_dp: {clip_norm: 1.0}\n");
        assertEquals(StrategyKind.SCAFFOLD, scaffold.strategy().kind());
        assertEquals(1.0, scaffold.siteDp().clipNorm());
        SimulationConfig fedprox = parse("strategy: fedprox\nprox_mu: 0.1\nsite_dp: {clip_norm: 1.0}\n");
        assertEquals(StrategyKind.FEDPROX, fedprox.strategy().kind());
        assertEquals(1.0, fedprox.siteDp().clipNorm());
    }

    @Test
    void scaffoldWithAnOptimizerOtherThanPlainSgdIsRefusedBeforeAnyRound() {
        for (String optimizer : java.util.List.of("{type: adam}", "{type: sgd, momentum: 0.9}")) {
            var e = assertThrows(org.fedmed.config.ConfigException.class, () -> ConfigLoader.parse(
                    "strategy: scaffold\nmodel:\n  type: logistic\n  optimizer: " + optimizer + "\n", "sim.yaml",
                    java.util.Map.of()));
            assertTrue(e.getMessage().contains("config key 'model.optimizer' must be plain SGD (leave it out) with"
                    + " 'scaffold'"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(line 4, column 14)"), e.getMessage());
        }
        ConfigLoader.parse("strategy: scaffold\nmodel: {type: logistic, optimizer: {type: sgd}}\n", "sim.yaml",
                java.util.Map.of());
    }

    @Test
    void personalizationOfACoxModelIsRefusedBeforeAnyRound() {
        var e = assertThrows(org.fedmed.config.ConfigException.class, () -> ConfigLoader.parse(
                "model: {type: cox}\npersonalization: {kind: ditto, lambda: 0.1}\n", "sim.yaml", java.util.Map.of()));
        assertTrue(e.getMessage().contains("config key 'personalization' cannot be used with a Cox model"),
                e.getMessage());
    }
}
