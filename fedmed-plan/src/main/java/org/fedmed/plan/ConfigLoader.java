package org.fedmed.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.config.YamlBinder;
import org.fedmed.config.YamlPositions;
import org.fedmed.data.registry.DatasetRegistry;

/**
 * Reads a {@link SimulationConfig} from YAML (or JSON) and applies command-line overrides, through the one strict
 * binder ({@link YamlBinder}): every error names the file, the key at fault, and its line and column.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = YamlBinder.mapper();

    private static final ObjectMapper JSON = YAML.copyWith(new com.fasterxml.jackson.core.JsonFactory())
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private ConfigLoader() {
    }

    /** The mapper configs are read and written with (snake_case keys). */
    public static ObjectMapper mapper() {
        return YAML;
    }

    /** A JSON writer with the configs' snake_case naming, indented, for reports. */
    public static ObjectMapper jsonWriter() {
        return JSON;
    }

    /** The config as a mutable map of snake_case keys, for deriving variants through {@link #parse}. */
    public static Map<String, Object> toMap(SimulationConfig config) {
        return YAML.convertValue(config, new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() { });
    }

    /** Reads a config file; keys not set keep their defaults. */
    public static SimulationConfig load(Path file) {
        return parseFile(YamlBinder.read(file), file, Map.of());
    }

    /**
     * Parses the text of config file {@code file} with overrides on top, as {@link #parse} does; a relative
     * definition path the file gives as its {@code dataset} is read from the file's folder (one given as an override
     * stays relative to the working folder, as a command-line path does).
     */
    public static SimulationConfig parseFile(String text, Path file, Map<String, Object> overrides) {
        SimulationConfig config = parse(text, file.toString(), overrides);
        Path folder = file.toAbsolutePath().getParent();
        if (overrides.containsKey("dataset") || folder == null || !DatasetRegistry.isDefinitionPath(config.dataset())
                || Path.of(config.dataset().strip()).isAbsolute()) {
            return config;
        }
        return config.withDataset(folder.resolve(config.dataset().strip()).normalize().toString());
    }

    /**
     * Parses config text, then applies overrides (snake_case key to value) on top, as the CLI flags do.
     * {@code source} names the text in error messages.
     */
    public static SimulationConfig parse(String text, String source, Map<String, Object> overrides) {
        refuseSectionKeysAtTopLevel(text, source);
        return YamlBinder.bind(text, source, List.of(), overrides, SimulationConfig.class);
    }

    /**
     * A key of the {@code simulation} section written at the top level is refused with where it belongs, rather than
     * as an unknown key.
     */
    private static void refuseSectionKeysAtTopLevel(String text, String source) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = text == null || text.isBlank() ? null : YAML.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return; // the binder reports the syntax error with its line
        }
        if (tree == null || !tree.isObject()) {
            return;
        }
        for (String key : SimulationConfig.SIMULATION_KEYS) {
            if (tree.has(key)) {
                throw new ConfigException(source + ": key '" + key + "'" + YamlPositions.at(text, List.of(key), true)
                        + " only means something to a simulation and belongs in its section: write it as"
                        + " 'simulation: {" + key + ": ...}' (see docs/configuration.md)");
            }
        }
    }
}
