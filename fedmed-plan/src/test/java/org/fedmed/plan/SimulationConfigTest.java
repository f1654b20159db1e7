package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.core.LocalWork;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.privacy.fedavg.NoisePlacement;
import org.fedmed.secagg.SecureSumConfig;
import org.junit.jupiter.api.Test;

class SimulationConfigTest {

    @Test
    void closedChoicesAreReadIntoTheirEnumsWhateverTheCaseAndDashes() {
        SimulationConfig c = ConfigLoader.parse("""
                simulation:
                  partition: Quantity
                  missing: MEDIAN
                  stats: per-site
                  regimes: [centralized, LOCAL]
                strategy: Uniform
                send: delta
                """, "sim.yaml", Map.of());
        assertEquals(PartitionerKind.QUANTITY, c.partition());
        assertEquals(MissingPolicy.MEDIAN, c.missing());
        assertEquals(StatsMode.PER_SITE, c.stats());
        assertEquals(SiteWeighting.UNIFORM, c.strategy().weighting());
        assertEquals(SendMode.DELTA, c.send());
        assertEquals(List.of(Regime.CENTRALIZED, Regime.LOCAL), c.regimes());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SimulationConfig d = SimulationConfig.defaults();
        assertEquals("heart-disease", d.dataset());
        assertEquals(PartitionerKind.IID, d.partition());
        assertEquals(MissingPolicy.MEAN, d.missing());
        assertEquals(StatsMode.FEDERATED, d.stats());
        assertEquals(SiteWeighting.SAMPLE_COUNT, d.strategy().weighting());
        assertEquals(SendMode.WEIGHTS, d.send());
        assertEquals(List.of(Regime.LOCAL, Regime.FEDERATED, Regime.CENTRALIZED), d.regimes());
        assertTrue(d.model().isNull(), "no model named: logistic regression");
        assertEquals(100, d.rounds());
        assertEquals(42L, d.seed());
        assertEquals(0.1, d.lr());
    }

    @Test
    void anUnknownChoiceIsRefusedNamingTheKeyAndTheAllowedValues() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {stats: pooled}\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'simulation.stats': unknown value 'pooled' (allowed: [federated, per_site])"
                + " (line 1, column 21)", e.getMessage());
        var r = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {regimes: [local, magic]}\n", "sim.yaml",
                Map.of()));
        assertTrue(r.getMessage().startsWith("sim.yaml: config key 'simulation.regimes': unknown value 'magic'"
                + " (allowed: [centralized, federated, local, personalized])"), r.getMessage());
        var top = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: 3\nstats: per_site\n",
                "sim.yaml", Map.of()));
        assertEquals("sim.yaml: key 'stats' (line 2, column 1) only means something to a simulation and belongs in"
                + " its section: write it as 'simulation: {stats: ...}' (see docs/configuration.md)", top.getMessage());
    }

    @Test
    void itIsWrittenAsItsDocumentWithEveryKeyInConfigSpelling() {
        Map<String, Object> m = ConfigLoader.toMap(ConfigLoader.parse("""
                simulation:
                  partition: dirichlet
                  stats: per_site
                  regimes: [federated]
                strategy: quality
                """, "sim.yaml", Map.of()));
        @SuppressWarnings("unchecked")
        Map<String, Object> sim = (Map<String, Object>) m.get("simulation");
        assertEquals("dirichlet", sim.get("partition"));
        assertEquals("per_site", sim.get("stats"));
        assertEquals("quality", m.get("strategy"));
        assertEquals("weights", m.get("send"));
        assertEquals("mean", sim.get("missing"));
        assertEquals(List.of("federated"), sim.get("regimes"));
        assertFalse(m.containsKey("stats"), "simulation keys are written in their section only");
        assertEquals(100, m.get("rounds"));
        assertFalse(m.containsKey("model"), "no model named, none written");
        assertFalse(m.containsKey("dp"), "an absent section stays absent");
    }

    @Test
    void aWrittenConfigReadsBackAsTheSameConfig() {
        SimulationConfig c = ConfigLoader.parse("""
                simulation:
                  partition: quantity
                send: delta
                model: {type: mlp, hidden: [8]}
                dp: {noise_multiplier: 2.0}
                seed: 7
                """, "sim.yaml", Map.of());
        assertEquals(c, ConfigLoader.parse("", "again", ConfigLoader.toMap(c)));
    }

    @Test
    void theDomainRecordRefusesAMissingChoiceNamingTheField() {
        SimulationConfig d = SimulationConfig.defaults();
        var e = assertThrows(NullPointerException.class, () -> new SimulationConfig(d.dataset(), d.sites(), null,
                d.alpha(), d.testFraction(), d.missing(), d.missingIndicators(), d.stats(), d.model(), d.strategy(),
                d.rounds(), d.fraction(), d.sitesPerRound(), d.minFitSites(), d.localWork(), d.batchSize(), d.lr(),
                d.send(), d.patience(), d.minDelta(), d.seed(), d.roundDeadlineSeconds(),
                d.parallelism(), d.regimes(), d.dp(), d.secureAggregation(), d.siteDp(), d.overSelection(),
                d.maxSiteWeightShare(), d.maxCountGrowth(), d.minRows(), d.fill(), d.oneHot(), d.standardize(), d.sd(),
                d.clipQuantiles(), d.personalization(), d.population(), d.regions()));
        assertEquals("partition", e.getMessage());
    }

    @Test
    void sectionsReadTheirChoicesIntoEnumsAndWriteThemBackInConfigSpelling() {
        SimulationConfig c = ConfigLoader.parse("""
                dp: {noise: local, sampling: poisson, sample_rate: 0.5}
                secure_aggregation: {topology: classic}
                site_dp: {clip_norm: 2.0}
                """, "sim.yaml", Map.of());
        assertEquals(NoisePlacement.LOCAL, c.dp().noise());
        assertEquals(DpSampling.POISSON, c.dp().sampling());
        assertFalse(c.dp().hasTargetEpsilon(), "no target_epsilon: none is enforced");
        assertEquals(Double.POSITIVE_INFINITY, c.dp().targetEpsilon());
        assertEquals(SecureSumConfig.Topology.CLASSIC, c.secureAggregation().topology());
        assertEquals(2.0, c.siteDp().clipNorm());
        assertEquals(1e-5, c.siteDp().delta(), "default delta");

        Map<String, Object> m = ConfigLoader.toMap(c);
        @SuppressWarnings("unchecked")
        Map<String, Object> dp = (Map<String, Object>) m.get("dp");
        assertEquals("local", dp.get("noise"));
        assertEquals("poisson", dp.get("sampling"));
        assertTrue(dp.containsKey("target_epsilon") && dp.get("target_epsilon") == null,
                "no target is written as null, as runs stored earlier have it");
        assertEquals(Map.of("topology", "classic", "clip_bound", 1.0, "ring_bits", 32), m.get("secure_aggregation"));
        assertEquals(SecAggSettings.key(SecureSumConfig.Topology.SEC_AGG_PLUS), "secagg_plus");
    }

    @Test
    void anUnknownSectionChoiceIsRefusedNamingTheNestedKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("dp:\n  noise: everywhere\n",
                "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'dp.noise': unknown value 'everywhere' (allowed: [central, distributed,"
                + " local]) (line 2, column 10)", e.getMessage());
    }

    @Test
    void withersChangeTheirSettingsAndKeepEveryOther() {
        SimulationConfig base = ConfigLoader.parse("""
                seed: 7
                strategy: uniform
                dp: {noise_multiplier: 1.5, target_epsilon: 3.0, delta: 1.0e-6}
                """, "sim.yaml", Map.of());
        SimulationConfig v = base.withLocalTraining(0.03, LocalWork.epochs(5), 16).withRegimes(List.of(Regime.FEDERATED)).withPatience(4);
        SimulationConfig expected = ConfigLoader.parse("""
                seed: 7
                strategy: uniform
                dp: {noise_multiplier: 1.5, target_epsilon: 3.0, delta: 1.0e-6}
                lr: 0.03
                local_epochs: 5
                batch_size: 16
                simulation:
                  regimes: [federated]
                patience: 4
                """, "sim.yaml", Map.of());
        assertEquals(expected, v);

        DpSettings dp = base.dp().withNoiseMultiplier(4.0).withoutTargetEpsilon();
        assertEquals(4.0, dp.noiseMultiplier());
        assertFalse(dp.hasTargetEpsilon());
        assertEquals(1e-6, dp.delta(), "kept");
        assertEquals(null, base.withDp(null).dp());
        assertEquals(dp, base.withDp(dp).dp());
    }

    @Test
    void aWitherStillValidatesTheWholeConfig() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.defaults().withLocalTraining(-1, LocalWork.epochs(2), 32));
        assertEquals("config key 'lr' must be a positive number, got -1.0", e.getMessage());
    }

    @Test
    void cyclicAndScaffoldAreRefusedOverAPopulationAndWithRegionsNamingTheKey() {
        String why = "a population's virtual sites are built afresh when a round samples them and keep nothing"
                + " between rounds";
        for (String strategy : List.of("cyclic", "scaffold")) {
            var population = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("strategy: " + strategy
                    + "\nsites_per_round: 5\npopulation: {size: 100}\n", "sim.yaml", Map.of()));
            assertTrue(population.getMessage().contains("config key 'strategy' '" + strategy
                    + "' cannot run over a population: " + why), population.getMessage());
            var regions = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse("strategy: " + strategy
                    + "\nmax_site_weight_share: 1\nregions: {a: north, b: south}\n", "sim.yaml", Map.of()));
            assertTrue(regions.getMessage().contains("config key 'regions' needs a strategy of the FedAvg family, not '"
                    + strategy + "'"), regions.getMessage());
        }
        var fedavg = ConfigLoader.parse("max_site_weight_share: 1\nregions: {a: north, b: south}\n", "sim.yaml",
                Map.of());
        assertEquals(Map.of("a", "north", "b", "south"), fedavg.regions());
    }
}
