package org.fedmed.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fedmed.config.YamlPositions;

/**
 * The one strict binder for fedmed's YAML files (simulation configs, {@code server.yaml}, {@code site.yaml}, dataset
 * definitions): snake_case keys bound to records. It refuses an unknown key (listing the known ones), a value of the
 * wrong type, and a fractional number such as {@code 3.9} for an integer key (never truncated); a record that
 * refuses a value in its constructor has its message passed on. Every error is a {@link ConfigException} that
 * names the source, the key, and the line and column in the file (see {@link YamlPositions}); a syntax error gives
 * the line and column of the problem.
 */
public final class YamlBinder {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private YamlBinder() {
    }

    /** The mapper files are bound with (snake_case keys, strict as above). */
    public static ObjectMapper mapper() {
        return YAML;
    }

    /** The text of a config file; a missing or unreadable file is a {@link ConfigException} naming it. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reads a config file as {@code type}, with the snake_case keys and the errors described above.
     */
    public static <T> T load(Path file, Class<T> type) {
        String text = read(file);
        return bind(text, file.toString(), List.of(), Map.of(), type);
    }

    /**
     * Reads the mapping under top-level key {@code key} of a config file as {@code type}, with the same errors as
     * {@link #load(Path, Class)}; lines and columns are those of the whole file, and the source is named
     * {@code file (section 'key')}.
     */
    public static <T> T loadSection(Path file, String key, Class<T> type) {
        String text = read(file);
        return bind(text, file + " (section '" + key + "')", List.of(key), Map.of(), type);
    }

    /**
     * Binds config text as {@code type}, after applying {@code overrides} (snake_case key to value, as command-line
     * flags give them; a dotted key such as {@code simulation.sites} sets a key inside a section) on top. {@code source} names the text in errors; {@code section} is the path of the mapping
     * to bind, from the top of the text (empty for the whole text), so lines and columns are those of the whole
     * text. A value that came from an override is reported without a position.
     */
    public static <T> T bind(String text, String source, List<String> section, Map<String, Object> overrides,
                             Class<T> type) {
        try {
            JsonNode tree = text == null || text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
            for (String key : section) {
                tree = tree == null ? null : tree.get(key);
            }
            ObjectNode node = asObject(tree, source);
            overrides.forEach((k, v) -> override(node, k, v));
            return YAML.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key '" + path(e) + "'"
                    + location(text, section, overrides, e, true) + " (known keys: " + known + ")");
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": key '" + path(e) + "' expects " + simpleType(e.getTargetType())
                    + ", got '" + e.getValue() + "'" + location(text, section, overrides, e, false));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException(source + ": " + cause.getMessage() + namedKeyLocation(text, section, overrides,
                    e, String.valueOf(cause.getMessage())));
        } catch (MismatchedInputException e) {
            throw new ConfigException(source + ": key '" + path(e) + "' expects " + simpleType(e.getTargetType())
                    + location(text, section, overrides, e, false));
        } catch (JsonProcessingException e) {
            if (YamlPositions.isSyntaxError(e)) {
                throw new ConfigException(YamlPositions.syntaxError(source, e));
            }
            throw new ConfigException(source + ": " + e.getOriginalMessage());
        }
    }

    /** Where the error is in the file, or nothing when the value at fault came from a command-line override. */
    private static String location(String text, List<String> section, Map<String, Object> overrides,
                                   JsonMappingException e, boolean key) {
        StringBuilder dotted = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() == null) {
                break;
            }
            dotted.append(dotted.isEmpty() ? "" : ".").append(r.getFieldName());
            if (overridden(overrides, dotted.toString())) {
                return "";
            }
        }
        return YamlPositions.of(text, section, e, key);
    }

    /** Whether {@code dottedKey}, or a section above it, was given as an override. */
    private static boolean overridden(Map<String, Object> overrides, String dottedKey) {
        for (String k = dottedKey; ; k = k.substring(0, k.lastIndexOf('.'))) {
            if (overrides.containsKey(k)) {
                return true;
            }
            if (k.indexOf('.') < 0) {
                return false;
            }
        }
    }

    /** For a record that refused a value: the location of the key its message names ({@code key 'dp.clip_norm'}). */
    private static String namedKeyLocation(String text, List<String> section, Map<String, Object> overrides,
                                           JsonMappingException e, String message) {
        var m = YamlPositions.QUOTED_KEY.matcher(message);
        if (!m.find() || overridden(overrides, m.group(1))) {
            return "";
        }
        List<Object> path = new java.util.ArrayList<>(section);
        path.addAll(List.of((Object[]) m.group(1).split("\\.")));
        var at = YamlPositions.locate(text, path, false);
        return at == null ? location(text, section, overrides, e, false)
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Sets {@code key} (dotted for a key inside a section: {@code simulation.sites}) to {@code value}. */
    private static void override(ObjectNode node, String key, Object value) {
        String[] path = key.split("\\.");
        ObjectNode at = node;
        for (int i = 0; i < path.length - 1; i++) {
            at = at.get(path[i]) instanceof ObjectNode inner ? inner : at.putObject(path[i]);
        }
        at.set(path[path.length - 1], YAML.valueToTree(value));
    }

    private static ObjectNode asObject(JsonNode node, String source) {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw new ConfigException(source + ": expected a mapping of keys to values at the top level");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return switch (type.getSimpleName()) {
            case "Integer", "int", "Long", "long" -> "an integer";
            case "Double", "double" -> "a number";
            case "Boolean", "boolean" -> "true or false";
            case "String" -> "a string";
            case "List" -> "a list";
            default -> type.isRecord() || java.util.Map.class.isAssignableFrom(type) ? "a mapping of keys to values"
                    : "a " + type.getSimpleName();
        };
    }
}
