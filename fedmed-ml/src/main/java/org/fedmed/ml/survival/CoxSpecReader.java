package org.fedmed.ml.survival;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Iterator;
import java.util.List;
import org.fedmed.ml.OptimizerSpec;

/**
 * Binds a {@code type: cox} model spec (YAML or JSON) to a {@link CoxSpec}, strictly: an unknown key, a value of the
 * wrong kind or an unknown loss is refused naming the key and what it must be. The keys are {@code type},
 * {@code loss} ({@code breslow} or {@code flamby_batch}), {@code l2} and {@code optimizer} (the optimizer section of
 * every model spec: {@code type} sgd or adam, {@code momentum}, {@code beta1}, {@code beta2}, {@code epsilon}).
 */
final class CoxSpecReader {

    /** The keys of a Cox spec. */
    static final List<String> KEYS = List.of("type", "loss", "l2", "optimizer");
    private static final List<String> OPTIMIZER_KEYS = List.of("type", "momentum", "beta1", "beta2", "epsilon");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private CoxSpecReader() {
    }

    static CoxSpec read(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model spec is empty");
        }
        JsonNode root;
        try {
            root = (text.stripLeading().startsWith("{") ? JSON : YAML).readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("model spec: not valid YAML or JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("model spec: must be a mapping with keys " + String.join(", ", KEYS));
        }
        requireKnown(root, KEYS, "");
        String type = text(root, "type");
        if (!"cox".equals(type)) {
            throw new IllegalArgumentException("model spec: 'type' must be cox, got '" + type + "'");
        }
        String loss = text(root, "loss");
        JsonNode l2 = root.get("l2");
        if (l2 != null && !l2.isNumber()) {
            throw new IllegalArgumentException("model spec: 'l2' must be a number, got " + l2);
        }
        return new CoxSpec(loss == null ? CoxLoss.BRESLOW : loss(loss), l2 == null ? 0 : l2.asDouble(),
                optimizer(root.get("optimizer")));
    }

    private static CoxLoss loss(String key) {
        try {
            return CoxLoss.of(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec: 'loss' of a cox model must be breslow or flamby_batch, got '"
                    + key + "'", e);
        }
    }

    private static OptimizerSpec optimizer(JsonNode node) {
        if (node == null || node.isNull()) {
            return OptimizerSpec.sgd();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("model spec: 'optimizer' must be a mapping like {type: adam}");
        }
        requireKnown(node, OPTIMIZER_KEYS, "optimizer.");
        return OptimizerSpec.fromKeys(text(node, "type"), number(node, "momentum"), number(node, "beta1"),
                number(node, "beta2"), number(node, "epsilon"));
    }

    private static void requireKnown(JsonNode node, List<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("model spec: unknown key '" + prefix + name + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("model spec: '" + key + "' must be a single word, got " + v);
        }
        return v.asText();
    }

    private static Double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("model spec: 'optimizer." + key + "' must be a number, got " + v);
        }
        return v.asDouble();
    }
}
