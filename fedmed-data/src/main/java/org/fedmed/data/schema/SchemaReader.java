package org.fedmed.data.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedmed.data.DataFormatException;

/**
 * Reads a {@link DatasetSchema} from YAML or JSON. Keys are the record component names
 * ({@code features}, {@code ignore}, {@code label}; per feature {@code name}, {@code type}, {@code levels},
 * {@code zeroMeansMissing}, {@code missingIndicator}; for the label {@code column}, {@code kind},
 * {@code threshold}, {@code mapping}); enum values are case-insensitive. An unknown key or an invalid value
 * raises a {@link DataFormatException} that names the source and the key.
 */
public final class SchemaReader {

    private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

    private SchemaReader() {
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B builder) {
        return builder.enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Reads a schema file; {@code .json} files as JSON, anything else as YAML. */
    public static DatasetSchema read(Path file) {
        boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(json ? JSON : YAML, in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static DatasetSchema fromYaml(String yaml, String source) {
        return parse(YAML, new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)), source);
    }

    /** Parses JSON text; {@code source} names it in error messages. */
    public static DatasetSchema fromJson(String json, String source) {
        return parse(JSON, new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), source);
    }

    /** Reads a YAML schema from the classpath, e.g. {@code /org/fedmed/data/schemas/heart-disease.yaml}. */
    public static DatasetSchema fromResource(String resource) {
        try (InputStream in = SchemaReader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new DataFormatException("schema resource " + resource + " is not on the classpath");
            }
            return parse(YAML, in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private static DatasetSchema parse(ObjectMapper mapper, InputStream in, String source) {
        try {
            DatasetSchema schema = mapper.readValue(in, DatasetSchema.class);
            if (schema == null) {
                throw new DataFormatException("schema " + source + " is empty");
            }
            return schema;
        } catch (UnrecognizedPropertyException e) {
            throw new DataFormatException("schema " + source + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e) + "; known keys there: " + e.getKnownPropertyIds(), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new DataFormatException("schema " + source + ": " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new DataFormatException("schema " + source + ": " + e.getOriginalMessage() + " at " + path(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + source + ": " + e.getMessage(), e);
        }
    }

    private static String path(com.fasterxml.jackson.core.JacksonException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            return sb.isEmpty() ? "top level" : sb.toString();
        }
        return "top level";
    }
}
