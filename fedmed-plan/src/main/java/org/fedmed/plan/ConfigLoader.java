package org.fedmed.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.config.YamlBinder;

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
        String text = YamlBinder.read(file);
        return parse(text, file.toString(), Map.of());
    }

    /**
     * Parses config text, then applies overrides (snake_case key to value) on top, as the CLI flags do.
     * {@code source} names the text in error messages.
     */
    public static SimulationConfig parse(String text, String source, Map<String, Object> overrides) {
        return YamlBinder.bind(text, source, List.of(), overrides, SimulationConfig.class);
    }
}
