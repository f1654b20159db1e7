package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.config.YamlBinder;
import org.fedmed.core.LocalWork;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.data.partition.PartitionerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void yamlValuesOverrideDefaultsAndUnsetKeysKeepThem() {
        SimulationConfig c = ConfigLoader.parse("""
                dataset: pima-diabetes
                simulation:
                  sites: 8
                  partition: dirichlet
                  alpha: 0.3
                rounds: 20
                local_epochs: 2
                model: {type: mlp, hidden: [16]}
                """, "sim.yaml", Map.of());
        assertEquals("pima-diabetes", c.dataset());
        assertEquals(8, c.sites());
        assertEquals(PartitionerKind.DIRICHLET, c.partition());
        assertEquals(0.3, c.alpha());
        assertEquals(LocalWork.epochs(2), c.localWork());
        assertEquals("mlp", c.model().get("type").asText());
        assertEquals(SimulationConfig.defaults().batchSize(), c.batchSize());
        assertEquals(SiteWeighting.SAMPLE_COUNT, c.strategy().weighting());
    }

    @Test
    void preprocessingKeysBecomeTypedOptionsAndTheirDefaultsAreTodaysBehaviour() {
        SimulationConfig c = ConfigLoader.parse("""
                simulation:
                  missing: constant
                  fill: {chol: 200, "*": 0}
                  standardize: true
                  sd: unbiased
                  clip_quantiles: [0.01, 0.99]
                  stats: per_site
                one_hot: drop_first
                """, "sim.yaml", Map.of());
        var o = c.preprocessing();
        assertEquals(org.fedmed.data.prep.MissingPolicy.CONSTANT, o.missing());
        assertEquals(200.0, o.fill().valueFor("chol").getAsDouble());
        assertEquals(0.0, o.fill().valueFor("age").getAsDouble());
        assertEquals(org.fedmed.data.prep.OneHot.DROP_FIRST, o.oneHot());
        assertEquals(org.fedmed.data.prep.StandardDeviation.UNBIASED, o.sd());
        assertEquals(new org.fedmed.data.prep.Clipping.AtQuantiles(0.01, 0.99), o.clip());
        assertEquals(org.fedmed.data.prep.StatsMode.PER_SITE, o.stats());
        assertEquals(org.fedmed.data.prep.PreprocessOptions.defaults(),
                SimulationConfig.defaults().preprocessing());
    }

    @Test
    void badPreprocessingKeysAreNamedWithTheirLine() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: 2\none_hot: last\n", "s.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'one_hot'") && e.getMessage().contains("drop_first")
                && e.getMessage().contains("line 2"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {missing: constant}\n", "s.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'simulation.fill'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {fill: 3}\n", "s.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'simulation.fill' is only used with missing: constant"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {clip_quantiles: [0.99, 0.01]}\n", "s.yaml", Map.of()));
        assertTrue(e.getMessage().contains("clip_quantiles") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void flagsOverrideTheFile() {
        SimulationConfig c = ConfigLoader.parse("rounds: 20\nlr: 0.5\n", "sim.yaml", Map.of("rounds", 3));
        assertEquals(3, c.rounds());
        assertEquals(0.5, c.lr());
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKeyAndFile() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("roundz: 3\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("sim.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'roundz'"), e.getMessage());
        assertTrue(e.getMessage().contains("rounds"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void valueOfTheWrongTypeNamesTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: many\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'rounds'") && e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void outOfRangeValueNamesTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("fraction: 1.5\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("'fraction'"), e.getMessage());
        var e2 = assertThrows(ConfigException.class, () -> ConfigLoader.parse("lr: -1\n", "sim.yaml", Map.of()));
        assertTrue(e2.getMessage().contains("'lr'"), e2.getMessage());
        var e3 = assertThrows(ConfigException.class, () -> ConfigLoader.parse("strategy: fedsgd\n", "x", Map.of()));
        assertTrue(e3.getMessage().contains("'strategy'") && e3.getMessage().contains("fedavg"), e3.getMessage());
        var e4 = assertThrows(ConfigException.class, () -> ConfigLoader.parse("simulation: {regimes: [local, magic]}\n", "x", Map.of()));
        assertTrue(e4.getMessage().contains("'simulation.regimes'") && e4.getMessage().contains("magic"), e4.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path p = dir.resolve("nope.yaml");
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("nope.yaml"));
    }

    @Test
    void malformedYamlNamesTheFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "rounds: [1,\n");
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(p));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
    }

    @Test
    void syntaxErrorGivesTheFileAndTheLineAndColumnOfTheProblem(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "dataset: heart-disease\nrounds: 2\n  lr: 0.1\n");
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.load(p));
        assertEquals(p + ": not valid YAML at line 3, column 5: mapping values are not allowed here", e.getMessage());
    }

    @Test
    void aBadInlineModelSpecIsRefusedAsTheConfigIsReadNamingTheModelKeyAndItsLine() {
        var width = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "rounds: 3\nmodel:\n  type: mlp\n  hidden: [abc]\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'model.hidden': 'hidden[0]' must be a whole number (line 4, column 11)",
                width.getMessage());
        var nested = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "model:\n  type: logistic\n  optimizer: {type: adam, lr: -1}\n", "sim.yaml", Map.of()));
        assertTrue(nested.getMessage().startsWith("sim.yaml: config key 'model.optimizer.lr': unknown key 'optimizer.lr'")
                && nested.getMessage().endsWith("(line 3, column 31)"), nested.getMessage());
        assertEquals("mlp", ConfigLoader.parse("model: {type: mlp, hidden: [4]}\n", "sim.yaml", Map.of()).model()
                .path("type").asText(), "a good spec reads as before");
    }

    @Test
    void tabIndentationIsNamedAtItsLine() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: 2\n\tlr: 0.1\n", "sim.yaml",
                Map.of()));
        assertTrue(e.getMessage().startsWith("sim.yaml: not valid YAML at line 2, column 1: found character"),
                e.getMessage());
    }

    @Test
    void bindingErrorsGiveTheLineAndColumnOfTheKeyOrValueAtFault() {
        String text = """
                dataset: heart-disease
                rounds: 5
                dp:
                  noise_multiplier: 1.0
                  clipp_norm: 2
                """;
        var unknown = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "sim.yaml", Map.of()));
        assertTrue(unknown.getMessage().startsWith("sim.yaml: unknown key 'dp.clipp_norm' (line 5, column 3) (known"
                + " keys: "), unknown.getMessage());
        var wrongType = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "dataset: heart-disease\n\nrounds: many\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: key 'rounds' expects an integer, got 'many' (line 3, column 9)", wrongType.getMessage());
        var outOfRange = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "dataset: heart-disease\nfraction: 1.5\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'fraction' must be in (0, 1], got 1.5 (line 2, column 11)",
                outOfRange.getMessage());
    }

    @Test
    void aFractionalNumberForAnIntegerKeyIsRefusedNotTruncated() {
        var rounds = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "dataset: heart-disease\nrounds: 3.9\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: key 'rounds' expects an integer, got '3.9' (line 2, column 9)", rounds.getMessage());
        var nested = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "dp:\n  noise_multiplier: 1.0\n  clip_norm: 1.0\n  sites_per_round: 2.5\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: key 'dp.sites_per_round' expects an integer, got '2.5' (line 4, column 20)",
                nested.getMessage());
        assertEquals(3, ConfigLoader.parse("rounds: 3\n", "sim.yaml", Map.of()).rounds(), "a whole number is read");
    }

    @Test
    void aBadValueGivenAsAFlagHasNoLineInTheFile() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: 5\n", "sim.yaml",
                Map.of("rounds", "many")));
        assertEquals("sim.yaml: key 'rounds' expects an integer, got 'many'", e.getMessage());
    }

    @Test
    void sectionOfAFileIsBoundWithTheLinesOfTheWholeFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("server.yaml");
        Files.writeString(p, "run: r\ntraining:\n  dataset: heart-disease\n  roundz: 3\n");
        var e = assertThrows(ConfigException.class, () -> YamlBinder.loadSection(p, "training",
                SimulationConfig.class));
        assertTrue(e.getMessage().startsWith(p + " (section 'training'): unknown key 'roundz' (line 4, column 3)"),
                e.getMessage());
    }
}
