package org.fedmed.pki;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads and writes the YAML files of a federation directory: snake_case keys; unknown keys, and fractional numbers
 * where an integer is expected, are rejected with the file, the line and column, and the key.
 */
final class KitYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

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
            T value = YAML.readValue(file.toFile(), type);
            if (value == null) {
                throw new ProvisioningException(file + ": the file is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            throw new ProvisioningException(file + where(e) + ": unknown key '" + e.getPropertyName() + "' (known keys: "
                    + known + ")", e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProvisioningException(file + ": " + cause.getMessage(), e);
        } catch (JsonMappingException e) {
            throw new ProvisioningException(file + where(e) + ": key '" + path(e) + "' " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(file) || e instanceof NoSuchFileException) {
                throw new ProvisioningException(file + ": file does not exist", e);
            }
            throw new ProvisioningException(file + ": not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static String where(JsonMappingException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** {@code value}, or a clear error naming the file and the missing key. */
    static <T> T required(T value, String key, Path file) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new ProvisioningException(file + ": key '" + key + "' is missing");
        }
        return value;
    }
}
