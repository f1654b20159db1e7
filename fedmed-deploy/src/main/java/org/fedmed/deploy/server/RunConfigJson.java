package org.fedmed.deploy.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;

/**
 * The config a run is stored with: the training settings (every key a server takes, defaults filled in) and the
 * run's name. A resume compares them with the config it is started with, so a run never continues under other
 * settings.
 */
final class RunConfigJson {

    private RunConfigJson() {
    }

    static String of(ServerConfig config) {
        return of(config, java.util.List.of());
    }

    /** As {@link #of(ServerConfig)}, with the model's input columns in order, which an export names. */
    static String of(ServerConfig config, java.util.List<String> inputs) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", config.run());
        Map<String, Object> training = new LinkedHashMap<>(ConfigLoader.toMap(config.training()));
        // keys a server refuses (they only mean something to simulate), so that a stored or exported config pastes
        // back into a server.yaml as it is
        training.keySet().removeAll(SimulationConfig.SIMULATION_ONLY_KEYS.keySet());
        root.put("training", training);
        if (!inputs.isEmpty()) {
            root.put("inputs", inputs);
        }
        try {
            return ConfigLoader.jsonWriter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the run config as JSON: " + e.getMessage(), e);
        }
    }

    /** The model inputs a stored run config names, in order; empty when it names none. */
    static java.util.List<String> inputs(String stored) {
        try {
            java.util.List<String> out = new java.util.ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored).path("inputs")
                    .forEach(n -> out.add(n.asText()));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored run config is not JSON: " + e.getMessage(), e);
        }
    }

    /** Throws, naming the keys that differ, when {@code stored}'s training settings are not {@code config}'s. */
    static void requireSameTraining(String stored, ServerConfig config) {
        Map<String, Object> before;
        Map<String, Object> now;
        try {
            before = training(ConfigLoader.jsonWriter().readValue(stored, new TypeReference<Map<String, Object>>() { }));
            now = training(ConfigLoader.jsonWriter().readValue(of(config), new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored config of run '" + config.run() + "' is not JSON: "
                    + e.getMessage(), e);
        }
        TreeSet<String> differ = new TreeSet<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        Map<String, Object> defaults = defaults();
        keys.removeAll(SimulationConfig.SIMULATION_ONLY_KEYS.keySet()); // a deployment never used them
        for (String k : keys) {
            // a key that a run stored by an earlier fedmed lacks had the value that is its default now
            Object was = before.containsKey(k) ? before.get(k) : defaults.get(k);
            differences(k, was, now.get(k), differ);
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("cannot resume run '" + config.run() + "': its training settings in "
                    + config.file() + " changed since it started: " + String.join(", ", differ)
                    + ". Restore them, or start a new run under another name");
        }
    }

    /**
     * Adds to {@code differ} each setting under {@code key} whose value {@code was} is not the one it has {@code now}:
     * in a section that is set on both sides (such as {@code dp}) each differing key by its dotted name, for example
     * {@code dp.noise_multiplier (was 1.0, now 1.2)}, rather than the whole section.
     */
    @SuppressWarnings("unchecked")
    private static void differences(String key, Object was, Object now, TreeSet<String> differ) {
        if (was instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
            TreeSet<String> inner = new TreeSet<>((java.util.Set<String>) a.keySet());
            inner.addAll((java.util.Set<String>) b.keySet());
            for (String k : inner) {
                differences(key + "." + k, a.get(k), b.get(k), differ);
            }
        } else if (!Objects.equals(was, now)) {
            differ.add(key + " (was " + shown(was) + ", now " + shown(now) + ")");
        }
    }

    /** A value as a message names it: a section by its presence, not its every key. */
    private static String shown(Object value) {
        return value instanceof Map<?, ?> ? "set" : value == null ? "not set" : String.valueOf(value);
    }

    /** Every training key with its default, as {@link #of} writes it. */
    private static Map<String, Object> defaults() {
        try {
            String json = ConfigLoader.jsonWriter().writeValueAsString(ConfigLoader.toMap(SimulationConfig.defaults()));
            return ConfigLoader.jsonWriter().readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the default training settings as JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> training(Map<String, Object> root) {
        Object t = root.get("training");
        return t instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
