package org.fedmed.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON columns of the run store: metric maps (keys sorted, NaN and infinities kept as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}) and site lists in their original order.
 */
final class StoreJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private StoreJson() {
    }

    static String metrics(Map<String, Double> metrics) {
        return write(new TreeMap<>(metrics));
    }

    static Map<String, Double> metrics(String json) {
        try {
            return JSON.readValue(json, METRICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metrics are not valid JSON: " + json, e);
        }
    }

    static String strings(List<String> values) {
        return write(values);
    }

    static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored site list is not valid JSON: " + json, e);
        }
    }

    /** Parses a run config, which must be a JSON object; the message says what is wrong. */
    static JsonNode configObject(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("run config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("run config must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }
}
