package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void yamlValuesOverrideDefaultsAndUnsetKeysKeepThem() {
        SimulationConfig c = ConfigLoader.parse("""
                dataset: pima-diabetes
                sites: 8
                partition: dirichlet
                alpha: 0.3
                rounds: 20
                local_epochs: 2
                model: {type: mlp, hidden: [16]}
                """, "sim.yaml", Map.of());
        assertEquals("pima-diabetes", c.dataset());
        assertEquals(8, c.sites());
        assertEquals("dirichlet", c.partition());
        assertEquals(0.3, c.alpha());
        assertEquals(2, c.localEpochs());
        assertEquals("mlp", c.model().get("type").asText());
        assertEquals(SimulationConfig.defaults().batchSize(), c.batchSize());
        assertEquals("fedavg", c.strategy());
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
        var e4 = assertThrows(ConfigException.class, () -> ConfigLoader.parse("regimes: [local, magic]\n", "x", Map.of()));
        assertTrue(e4.getMessage().contains("'regimes'") && e4.getMessage().contains("magic"), e4.getMessage());
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
}
