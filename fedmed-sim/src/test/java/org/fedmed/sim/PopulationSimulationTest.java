package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.PopulationSummary;
import org.fedmed.sim.report.PopulationTable;
import org.fedmed.sim.report.RegimeResult;
import org.fedmed.sim.report.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} over a population of virtual sites: each round builds the sites it samples, and says so. */
class PopulationSimulationTest {

    private static final String WEARABLE = """
            rounds: 3
            sites_per_round: 20
            local_epochs: 1
            lr: 0.2
            max_site_weight_share: 1
            population:
              size: 10000
              regions: 4
              hierarchical: %s
              evaluation_sites: 10
              cached_sites: 30
              rows: {median: 24, sigma: 0.5, min: 16, max: 120}
              wearable: {features: 6, separation: 1.5, device_shift: 0.3, label_alpha: 2}
            """;

    private static SimulationConfig config(String yaml) {
        return ConfigLoader.parse(yaml, "test", Map.of());
    }

    private static ComparisonReport run(SimulationConfig c) {
        SimulationData.PopulationData pop = SimulationData.population(c, new DatasetRegistry(List.of()));
        return new ComparisonExperiment(c, null).withPopulation(pop.population()).run(pop.sample());
    }

    @Test
    void aSmallPopulationSimulatesEndToEndAndRecordsSizeSampledSitesAndEachRoundsTimeSplit(@TempDir Path dir)
            throws Exception {
        SimulationConfig c = config(WEARABLE.formatted("false"));
        ComparisonReport report = run(c);

        PopulationSummary p = report.population();
        assertEquals(10_000, p.size());
        assertEquals("wearable", p.source());
        assertEquals(10, p.evaluationSites().size());
        assertEquals(3, p.rounds().size());
        for (PopulationSummary.Round r : p.rounds()) {
            assertEquals(20, r.sampled(), "round " + r.round());
            assertEquals(20, r.aggregated(), "round " + r.round());
            // 20 sampled and 10 evaluated sites a round, 30 kept: at least the 20 sampled ones are new in round 1
            assertTrue(r.sitesBuilt() <= 30, "round " + r.round() + " built " + r.sitesBuilt());
            assertTrue(r.buildMillis() >= 0 && r.trainMillis() >= 0 && r.aggregateMillis() >= 0);
        }
        assertTrue(p.rounds().getFirst().sitesBuilt() >= 20, "round 1 builds its sampled sites");
        for (RegimeResult r : report.regimes().values()) {
            assertEquals(p.evaluationSites(), List.copyOf(r.sites().keySet()), r.regime() + " is tested on the sample");
        }
        assertTrue(report.regimes().get("federated").pooled().get("roc_auc") > 0.6,
                "federated learns the shared class centres: " + report.regimes().get("federated").pooled());

        new ReportWriter().write(report, dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("population");
        assertEquals(10_000, json.get("size").asLong());
        assertEquals(3, json.get("rounds").size());
        JsonNode round = json.get("rounds").get(2);
        assertEquals(3, round.get("round").asInt());
        assertEquals(20, round.get("sampled").asInt());
        for (String key : List.of("build_millis", "train_millis", "aggregate_millis", "wall_millis")) {
            assertTrue(round.has(key), "results.json population round has " + key + ": " + round);
        }

        String table = PopulationTable.render(p);
        assertTrue(table.startsWith("population: 10000 virtual sites (wearable, wearable), 4 region(s); evaluated on 10"),
                table);
        assertTrue(table.lines().anyMatch(l -> l.matches("\\s+3\\s+20\\s+20\\s+\\d+.*")), table);
        assertTrue(table.contains("per round (mean of 3): 20.0 sites sampled"), table);
    }

    @Test
    void aggregatingByRegionGivesTheFlatRunsModelWithinFloatRounding() {
        ComparisonReport flat = run(config(WEARABLE.formatted("false")).withRegimes(
                List.of(org.fedmed.plan.Regime.FEDERATED)));
        ComparisonReport regional = run(config(WEARABLE.formatted("true")).withRegimes(
                List.of(org.fedmed.plan.Regime.FEDERATED)));
        assertTrue(regional.population().hierarchical());
        float[] a = flat.federated().finalModel().flat();
        float[] b = regional.federated().finalModel().flat();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-5, "largest difference " + worst);
    }

    @Test
    void regionsOverADatasetsOwnSitesGiveTheFlatModelWithinFloatRounding() {
        FederatedDataset data = SyntheticFederation.build(3, 60, 70, 80, 90);
        String base = "rounds: 4\nmax_site_weight_share: 1\nsimulation: {regimes: [federated]}\n";
        ComparisonReport flat = new ComparisonExperiment(config(base), null).run(data);
        ComparisonReport regional = new ComparisonExperiment(config(base
                + "regions: {site0: north, site1: north, site2: south, site3: south}\n"), null).run(data);
        float[] a = flat.federated().finalModel().flat();
        float[] b = regional.federated().finalModel().flat();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-5, "largest difference " + worst);
        assertFalse(java.util.Arrays.equals(a, new ComparisonExperiment(config(base + "seed: 5\n"), null).run(data)
                .federated().finalModel().flat()), "control: another seed gives another model");
        var e = assertThrows(IllegalArgumentException.class, () -> new ComparisonExperiment(config(base
                + "regions: {site0: north, site1: north, site2: south}\n"), null).run(data));
        assertTrue(e.getMessage().contains("'regions' gives no region for site 'site3'"), e.getMessage());
    }

    @Test
    void theFederatedModelIsBitForBitTheSameWhateverTheSiteCacheAndTheParallelism() {
        String plan = """
                rounds: 3
                sites_per_round: 40
                local_steps: 3
                batch_size: 4
                simulation: {regimes: [federated], parallelism: %d}
                population:
                  size: 300
                  evaluation_sites: 5
                  cached_sites: %d
                  rows: {median: 24, min: 16, max: 60}
                  wearable: {features: 4}
                """;
        float[] none = run(config(plan.formatted(1, 0))).federated().finalModel().flat();
        float[] cached = run(config(plan.formatted(2, 1000))).federated().finalModel().flat();
        float[] small = run(config(plan.formatted(2, 7))).federated().finalModel().flat();
        org.junit.jupiter.api.Assertions.assertArrayEquals(none, cached);
        org.junit.jupiter.api.Assertions.assertArrayEquals(none, small);
    }

    @Test
    void dpFedAvgOverAPopulationSamplesByPoissonAndIsChargedTheSampleRate() {
        SimulationConfig c = config("""
                rounds: 3
                local_epochs: 1
                simulation: {regimes: [federated]}
                dp: {sampling: poisson, sample_rate: 0.002, noise_multiplier: 1.0, clip_norm: 1.0}
                population:
                  size: 10000
                  evaluation_sites: 5
                  rows: {median: 24, min: 16, max: 60}
                  wearable: {features: 4}
                """);
        ComparisonReport report = run(c);
        var privacy = report.federated().privacy();
        assertEquals(3, privacy.rounds().size());
        for (var r : privacy.rounds()) {
            assertEquals(0.002, r.samplingRate(), 0, "q as the accountant is charged");
            // 20 expected per round, sd about 4.5
            assertTrue(r.sitesSampled() >= 5 && r.sitesSampled() <= 40, "sites sampled " + r.sitesSampled());
        }
        for (PopulationSummary.Round r : report.population().rounds()) {
            assertEquals(privacy.rounds().get(r.round() - 1).sitesSampled(), r.sampled());
        }
        assertTrue(privacy.epsilon() > 0, "the accountant charged the rounds");
    }

    @Test
    void aPopulationPlanAndARegionsMappingAreWrittenAndReadBackTheSame() throws Exception {
        SimulationConfig c = config(WEARABLE.formatted("true"));
        SimulationConfig back = config(ConfigLoader.mapper().writeValueAsString(c));
        assertEquals(c.population(), back.population());
        assertEquals(c, back);
        SimulationConfig mapped = config("max_site_weight_share: 1\nregions: {a: north, b: south}\n");
        assertEquals(Map.of("a", "north", "b", "south"), config(ConfigLoader.mapper().writeValueAsString(mapped))
                .regions());
    }

    @Test
    void theExamplePopulationPlansReadAsTheySay() {
        SimulationConfig wearable = ConfigLoader.load(Path.of("..", "examples", "population", "wearable.yaml"));
        assertEquals(1_000_000, wearable.population().size());
        assertTrue(wearable.population().hierarchical());
        assertEquals(8, wearable.population().wearable().features());
        SimulationConfig drawn = ConfigLoader.load(Path.of("..", "examples", "population",
                "breast-cancer-dirichlet.yaml"));
        assertEquals(org.fedmed.data.population.SiteMix.DIRICHLET, drawn.population().mix());
        assertEquals(0.3, drawn.population().alpha());
        assertEquals(null, drawn.population().wearable());
    }

    @Test
    void populationKeysAreCheckedNamingTheKey() {
        var all = assertThrows(IllegalArgumentException.class, () -> config("population: {size: 100}\n"));
        assertTrue(all.getMessage().contains("'sites_per_round' must be set (or fraction below 1) with a population"),
                all.getMessage());
        var share = assertThrows(IllegalArgumentException.class, () -> config(
                "sites_per_round: 5\npopulation: {size: 100, regions: 2, hierarchical: true}\n"));
        assertTrue(share.getMessage().contains("'max_site_weight_share' must be 1 with hierarchical aggregation"),
                share.getMessage());
        var min = assertThrows(RuntimeException.class,
                () -> config("sites_per_round: 5\npopulation: {size: 100, rows: {min: 1}}\n"));
        assertTrue(min.getMessage().contains("population.rows.min"), min.getMessage());
        var unknown = assertThrows(RuntimeException.class, () -> config("population: {size: 100, sizes: 3}\n"));
        assertTrue(unknown.getMessage().contains("sizes"), unknown.getMessage());
        var size = assertThrows(RuntimeException.class, () -> config("population: {regions: 3}\n"));
        assertTrue(size.getMessage().contains("population.size"), size.getMessage());
        var cyclic = assertThrows(RuntimeException.class,
                () -> config("strategy: cyclic\nsites_per_round: 5\npopulation: {size: 100}\n"));
        assertTrue(cyclic.getMessage().contains("cannot run over a population"), cyclic.getMessage());
    }
}
