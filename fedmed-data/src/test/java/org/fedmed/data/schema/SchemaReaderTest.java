package org.fedmed.data.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaReaderTest {

    private static final String YAML = """
            features:
              - {name: age, type: numeric}
              - {name: cp, type: Categorical, levels: [1, 2, 3, 4]}
              - {name: chol, type: numeric, zeroMeansMissing: true, missingIndicator: true}
            ignore: [id]
            label: {column: num, kind: threshold, threshold: 0}
            """;

    @Test
    void yamlSchemaBuildsTheSameRecordsAsCode() {
        DatasetSchema expected = new DatasetSchema(List.of(
                FeatureSpec.numeric("age"),
                FeatureSpec.categorical("cp", "1", "2", "3", "4"),
                FeatureSpec.numeric("chol").withZeroMeansMissing().withMissingIndicator()),
                List.of("id"), LabelSpec.threshold("num", 0));
        assertEquals(expected, SchemaReader.fromYaml(YAML, "inline"));
    }

    @Test
    void jsonSchemaFileIsReadByExtension(@TempDir Path dir) {
        Path file = TestData.write(dir, "s.json", """
                {"features": [{"name": "x", "type": "numeric"}],
                 "label": {"column": "y", "kind": "mapping", "mapping": {"neg": 0, "pos": 1}}}""");
        DatasetSchema s = SchemaReader.read(file);
        assertEquals(List.of("x"), s.featureNames());
        assertEquals(Map.of("neg", 0, "pos", 1), s.label().mapping());
        assertEquals(2, s.classes());
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKey() {
        String bad = YAML.replace("zeroMeansMissing: true", "zeroMeansMising: true");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaReader.fromYaml(bad, "bad.yaml"));
        assertTrue(e.getMessage().contains("unknown key 'zeroMeansMising'"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("features[2]"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyIsAnError() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> SchemaReader.fromYaml(YAML + "target: num\n", "t.yaml"));
        assertTrue(e.getMessage().contains("'target'"), e.getMessage());
    }

    @Test
    void categoricalWithoutLevelsIsAnErrorNamingTheField() {
        String bad = YAML.replace(", levels: [1, 2, 3, 4]", "");
        DataFormatException e = assertThrows(DataFormatException.class, () -> SchemaReader.fromYaml(bad, "x.yaml"));
        assertTrue(e.getMessage().contains("'levels'") && e.getMessage().contains("cp"), e.getMessage());
    }

    @Test
    void mappingWithGapInClassIndicesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelSpec.mapping("y", Map.of("a", 0, "b", 2, "c", 2)));
        assertTrue(e.getMessage().contains("'mapping'"), e.getMessage());
    }

    @Test
    void thresholdLabelNeedsAThreshold() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> SchemaReader.fromYaml(YAML.replace(", threshold: 0", ""), "x.yaml"));
        assertTrue(e.getMessage().contains("'threshold'"), e.getMessage());
    }

    @Test
    void columnDeclaredTwiceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetSchema.of(LabelSpec.threshold("age", 0), FeatureSpec.numeric("age")));
        assertTrue(e.getMessage().contains("'age'"), e.getMessage());
    }

    @Test
    void levelsMatchAcrossNumericSpellings() {
        FeatureSpec cp = FeatureSpec.categorical("cp", "1", "2", "3", "4");
        assertEquals(0, cp.levelIndex("1.0"));
        assertEquals(3, cp.levelIndex(" 4 "));
        assertEquals(-1, cp.levelIndex("5"));
        assertEquals(-1, cp.levelIndex("one"));
    }

    @Test
    void builtInSchemaResourcesLoad() {
        DatasetSchema heart = SchemaReader.fromResource("/org/fedmed/data/schemas/heart-disease.yaml");
        assertEquals(13, heart.features().size());
        assertEquals(List.of("1", "2", "3", "4"), heart.features().get(2).levels());
        assertEquals(2, heart.classes());
    }
}
