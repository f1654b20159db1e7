package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecTest {

    private static final String YAML = """
            type: mlp            # logistic | mlp
            hidden: [32, 16]
            dropout: 0.1
            loss: auto
            l2: 0.0001
            optimizer: {type: adam, beta1: 0.9, beta2: 0.999, epsilon: 1e-8}
            init: he
            """;

    @Test
    void yamlSpecIsReadFieldByField() {
        DenseSpec spec = (DenseSpec) ModelSpec.parse(YAML);
        assertEquals(ModelType.MLP, spec.family());
        assertEquals("mlp", spec.type());
        assertEquals(List.of(32, 16), spec.hidden());
        assertEquals(0.1, spec.dropout());
        assertEquals(LossType.AUTO, spec.loss());
        assertEquals(0.0001, spec.l2());
        assertEquals(new OptimizerSpec.Adam(0.9, 0.999, 1e-8), spec.optimizer());
        assertEquals(InitScheme.HE, spec.init());
    }

    @Test
    void jsonSpecReadsToTheSameSpecAsTheEquivalentYaml() {
        String json = """
                {"type": "mlp", "hidden": [32, 16], "dropout": 0.1, "loss": "auto", "l2": 0.0001,
                 "optimizer": {"type": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, "init": "he"}
                """;
        assertEquals(ModelSpec.parse(YAML), ModelSpec.parse(json));
    }

    @Test
    void omittedFieldsTakeDefaultsSoTypeAloneIsTheLogisticDefault() {
        assertEquals(ModelSpec.logistic(), ModelSpec.parse("type: logistic"));
        assertEquals(ModelSpec.mlp(8, 4), ModelSpec.parse("type: mlp\nhidden: [8, 4]"));
        DenseSpec sgd = (DenseSpec) ModelSpec.parse("type: logistic\noptimizer: {type: sgd, momentum: 0.9}\nloss: bce");
        assertEquals(new OptimizerSpec.Sgd(0.9), sgd.optimizer());
        assertEquals(LossType.BCE, sgd.loss());
    }

    @Test
    void specWrittenAsJsonReadsBackEqual() {
        ModelSpec spec = ModelSpec.parse(YAML);
        assertEquals(spec, ModelSpec.parse(spec.toJson()));
        ModelSpec logistic = ModelSpec.logistic().withL2(0.01).withOptimizer(new OptimizerSpec.Sgd(0.5));
        assertEquals(logistic, ModelSpec.parse(logistic.toJson()));
    }

    @Test
    void toMapUsesFileSpellingAndLeavesOutMlpOnlyKeysForLogistic() {
        Map<String, Object> mlp = ModelSpec.parse(YAML).toMap();
        assertEquals(List.of("type", "hidden", "dropout", "loss", "l2", "optimizer", "init"), List.copyOf(mlp.keySet()));
        assertEquals("mlp", mlp.get("type"));
        assertEquals("he", mlp.get("init"));
        assertEquals("adam", ((Map<?, ?>) mlp.get("optimizer")).get("type"));
        assertEquals(List.of("type", "loss", "l2", "optimizer", "init"), List.copyOf(ModelSpec.logistic().toMap().keySet()));
    }

    @Test
    void unknownTopLevelKeyIsAnErrorNamingTheKeyAndTheKnownKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("type: mlp\nhiden: [8]"));
        assertTrue(e.getMessage().contains("unknown key 'hiden'"), e.getMessage());
        assertTrue(e.getMessage().contains("known: type, hidden, dropout"), e.getMessage());
    }

    @Test
    void unknownOptimizerKeyIsAnErrorNamingItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("{\"type\": \"logistic\", \"optimizer\": {\"type\": \"adam\", \"betas\": [0.9]}}"));
        assertTrue(e.getMessage().contains("unknown key 'optimizer.betas'"), e.getMessage());
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
    }

    @Test
    void badValuesAreErrorsNamingTheField() {
        assertFieldError("type: logistic\nl2: -0.1", "'l2'");
        assertFieldError("type: mlp\nhidden: [8]\ndropout: 1.0", "'dropout'");
        assertFieldError("type: mlp\nhidden: []", "'hidden'");
        assertFieldError("type: mlp", "'hidden'");
        assertFieldError("type: mlp\nhidden: [8, 0]", "'hidden[1]'");
        assertFieldError("type: cnn", "'type'");
        assertFieldError("loss: bce", "'type'");
        assertFieldError("type: logistic\nloss: hinge", "'loss'");
        assertFieldError("type: logistic\ninit: orthogonal", "'init'");
        assertFieldError("type: logistic\nhidden: [8]", "'hidden'");
        assertFieldError("type: logistic\ndropout: 0.2", "'dropout'");
        assertFieldError("type: logistic\noptimizer: {type: rmsprop}", "'optimizer.type'");
        assertFieldError("type: logistic\noptimizer: {type: sgd, momentum: 1.5}", "'optimizer.momentum'");
        assertFieldError("type: logistic\noptimizer: {type: sgd, beta1: 0.9}", "'optimizer.beta1'");
        assertFieldError("type: logistic\noptimizer: {type: adam, epsilon: 0}", "'optimizer.epsilon'");
    }

    @Test
    void valuesOfTheWrongKindAreErrorsNamingTheField() {
        assertFieldError("type: logistic\nl2: lots", "'l2'");
        assertFieldError("type: mlp\nhidden: [8, wide]", "'hidden[1]'");
        assertFieldError("type: mlp\nhidden: [8.5]", "'hidden[0]'");
    }

    @Test
    void emptyOrMalformedTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("{\"type\": "));
    }

    @Test
    void loadReadsAFileAndPrefixesErrorsWithItsPath(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("model.yaml"), YAML);
        assertEquals(ModelSpec.parse(YAML), ModelSpec.load(good));
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"type\": \"logistic\", \"l3\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.load(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'l3'"), e.getMessage());
    }

    private static void assertFieldError(String text, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(text),
                () -> "expected an error for: " + text);
        assertTrue(e.getMessage().contains(field), () -> "message should name " + field + ": " + e.getMessage());
    }
}
