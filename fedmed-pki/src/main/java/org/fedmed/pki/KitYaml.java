package org.fedmed.pki;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.config.YamlBinder;

/**
 * Reads and writes the YAML files of a federation directory. Reading goes through the one strict binder
 * ({@link YamlBinder}): unknown keys, wrong types and fractional numbers where an integer is expected are refused
 * with the file, the key, and its line and column.
 */
final class KitYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private KitYaml() {
    }

    static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as YAML", e);
        }
    }

    static <T> T read(Path file, Class<T> type) {
        try {
            String text = YamlBinder.read(file);
            if (text.isBlank()) {
                throw new ProvisioningException(file + ": the file is empty");
            }
            return YamlBinder.bind(text, file.toString(), List.of(), Map.of(), type);
        } catch (ConfigException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
    }

    /** {@code value}, or a clear error naming the file and the missing key. */
    static <T> T required(T value, String key, Path file) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new ProvisioningException(file + ": key '" + key + "' is missing");
        }
        return value;
    }
}
