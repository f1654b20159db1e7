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
 * The config a run is stored with: the training settings (every key, defaults filled in) and the run's name. A
 * resume compares them with the config it is started with, so a run never continues under other settings.
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
        root.put("training", ConfigLoader.toMap(config.training()));
        if (!inputs.isEmpty()) {
            root.put("inputs", inputs);
        }
        try {
            return ConfigLoader.jsonWriter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the run config as JSON: " + e.getMessage(), e);
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
            if (!Objects.equals(was, now.get(k))) {
                differ.add(k + " (was " + was + ", now " + now.get(k) + ")");
            }
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("cannot resume run '" + config.run() + "': its training settings in "
                    + config.file() + " changed since it started: " + String.join(", ", differ)
                    + ". Restore them, or start a new run under another name");
        }
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
