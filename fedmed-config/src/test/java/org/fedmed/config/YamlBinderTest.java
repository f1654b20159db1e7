package org.fedmed.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlBinderTest {

    /** A small config record: snake_case keys, one range check in its constructor. */
    record Knobs(Integer rounds, Double lr, List<String> names, Inner inner) {
        Knobs {
            if (lr != null && lr <= 0) {
                throw new IllegalArgumentException("key 'lr' must be > 0, got " + lr);
            }
        }
    }

    record Inner(Long batchSize) {
    }

    @TempDir
    Path tmp;

    @Test
    void bindsSnakeCaseKeysIntoRecords() {
        Knobs k = YamlBinder.bind("rounds: 3\nlr: 0.5\nnames: [a, b]\ninner:\n  batch_size: 8\n", "k.yaml", List.of(),
                Map.of(), Knobs.class);
        assertEquals(new Knobs(3, 0.5, List.of("a", "b"), new Inner(8L)), k);
    }

    @Test
    void unknownKeyIsNamedWithItsLineColumnAndTheKnownKeys() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("rounds: 3\ninner:\n  batch_sise: 8\n",
                "k.yaml", List.of(), Map.of(), Knobs.class));
        assertEquals("k.yaml: unknown key 'inner.batch_sise' (line 3, column 3) (known keys: batch_size)", e.getMessage());
    }

    @Test
    void fractionalNumberForAnIntegerKeyIsRefusedNotTruncated() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("lr: 0.1\nrounds: 3.9\n", "k.yaml", List.of(),
                Map.of(), Knobs.class));
        assertEquals("k.yaml: key 'rounds' expects an integer, got '3.9' (line 2, column 9)", e.getMessage());
    }

    @Test
    void wrongShapeNamesTheKeyAndWhatItExpects() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("names: plain\n", "k.yaml", List.of(),
                Map.of(), Knobs.class));
        assertEquals("k.yaml: key 'names' expects a list (line 1, column 8)", e.getMessage());
    }

    @Test
    void recordRefusalIsPassedOnWithThePositionOfTheKeyItNames() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("rounds: 2\nlr: -1\n", "k.yaml", List.of(),
                Map.of(), Knobs.class));
        assertEquals("k.yaml: key 'lr' must be > 0, got -1.0 (line 2, column 5)", e.getMessage());
    }

    @Test
    void sectionIsBoundWithPositionsOfTheWholeFile() throws Exception {
        Path file = tmp.resolve("server.yaml");
        Files.writeString(file, "listen: x\ntraining:\n  rounds: 2\n  roundz: 3\n");
        var e = assertThrows(ConfigException.class, () -> YamlBinder.loadSection(file, "training", Knobs.class));
        assertTrue(e.getMessage().startsWith(file + " (section 'training'): unknown key 'roundz' (line 4, column 3)"),
                e.getMessage());
    }

    @Test
    void overrideValuesAreReportedWithoutAPosition() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("lr: 0.1\n", "k.yaml", List.of(),
                Map.of("rounds", "many"), Knobs.class));
        assertEquals("k.yaml: key 'rounds' expects an integer, got 'many'", e.getMessage());
    }

    @Test
    void syntaxErrorGivesTheLineOfTheProblem() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("rounds: 2\n  lr: [1\n", "k.yaml", List.of(),
                Map.of(), Knobs.class));
        assertTrue(e.getMessage().startsWith("k.yaml: not valid YAML at line 2"), e.getMessage());
    }

    @Test
    void anUnclosedBracketIsReportedWhereTheParserStoppedAndWhereTheBracketOpened() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.bind("rounds: 3\nlr: [2\nseed: 1\n", "k.yaml",
                List.of(), Map.of(), Knobs.class));
        assertEquals("k.yaml: not valid YAML at line 3, column 5: expected ',' or ']', but got : (while parsing a flow"
                + " sequence that starts at line 2, column 5)", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        var e = assertThrows(ConfigException.class, () -> YamlBinder.read(tmp.resolve("nope.yaml")));
        assertEquals("config file " + tmp.resolve("nope.yaml") + " does not exist", e.getMessage());
    }
}
