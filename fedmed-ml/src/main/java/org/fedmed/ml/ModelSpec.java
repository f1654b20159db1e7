package org.fedmed.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A declarative description of the model a site trains, the {@code model:} block of a plan: data only (YAML or
 * JSON), so a coordinator can tell a site what to train but never ship code to it. The input width and the
 * objective come from the site's data when the model is built ({@link Models#build}). Every instance is valid:
 * members reject bad values naming the field.
 *
 * <p>The family is closed, and its {@code type} key picks the member and the member's reader:
 * <ul>
 *   <li>{@link DenseSpec}: {@code logistic} and {@code mlp}, read by its own strict reader and built by
 *       {@link Models#build} as a dense network;</li>
 *   <li>{@link Extension}: a family that lives outside this package and has its own reader and builder: the Cox
 *       model of {@code org.fedmed.ml.survival}, the CNN and ResNet of the optional {@code fedmed-imaging} module
 *       (which nothing else depends on). {@link #parse} reads {@code cox} with {@code CoxSpec}'s reader, and
 *       {@link Models#build} builds it as a {@code CoxNetwork}; it reads a family that registers a
 *       {@link ModelSpecFamily} service (fedmed-imaging does), and {@link Models#build} refuses those naming the
 *       type: each is built and trained by its own module.</li>
 * </ul>
 * A new member in this package is a new record, a case in {@link #parse} and a case in {@link Models#build}; the
 * compiler finds every switch that must handle it. {@code parse(spec.toJson())} equals {@code spec}.
 */
public sealed interface ModelSpec permits DenseSpec, ModelSpec.Extension {

    /** The spec-file {@code type}, e.g. {@code logistic}, {@code mlp}, {@code cox}, {@code cnn}. */
    String type();

    /** The site's local optimizer (the learning rate comes with each fit). */
    OptimizerSpec optimizer();

    /** The spec as an ordered map in file spelling, for provenance and for the sites' allow-lists. */
    Map<String, Object> toMap();

    /** The spec as compact JSON; {@link #parse(String)} reads a {@link DenseSpec}'s back to an equal spec. */
    default String toJson() {
        return DenseSpecReader.toJson(toMap());
    }

    /**
     * A model family outside this package, with its own reader and builder (see the interface's javadoc). Open on
     * purpose: the modules that own these families implement it, and this package never imports them.
     */
    non-sealed interface Extension extends ModelSpec {
    }

    /** The types {@link #parse} reads. */
    List<String> TYPES = List.of("logistic", "mlp", "cox");

    /** Types of families outside this package, for errors that say where they are read. */
    Map<String, String> EXTENSION_TYPES = Map.of(
            "cnn", "an image model of the optional fedmed-imaging module (ImageModelSpec)",
            "resnet", "an image model of the optional fedmed-imaging module (ImageModelSpec)");

    /** Logistic regression (softmax or linear regression, depending on the objective), auto loss, no L2, plain SGD. */
    static DenseSpec logistic() {
        return DenseSpec.logistic();
    }

    /** An MLP with the given hidden widths, no dropout, auto loss, no L2 and plain SGD. */
    static DenseSpec mlp(int... hidden) {
        return DenseSpec.mlp(hidden);
    }

    /**
     * Reads a spec from YAML or JSON text: its {@code type} picks the member, whose reader binds the rest strictly.
     *
     * @throws IllegalArgumentException naming the unknown key or the bad field
     */
    static ModelSpec parse(String yamlOrJson) {
        String type = peekType(yamlOrJson);
        if ("cox".equals(type)) {
            return org.fedmed.ml.survival.CoxSpec.parse(yamlOrJson);
        }
        // a family registered by a module on the class path (fedmed-imaging's cnn and resnet) reads its own specs
        java.util.Optional<ModelSpecFamily> family = type == null || TYPES.contains(type) ? java.util.Optional.empty()
                : ModelSpecFamily.forType(type);
        if (family.isPresent()) {
            return family.get().read(yamlOrJson);
        }
        if (type != null && !TYPES.contains(type) && EXTENSION_TYPES.containsKey(type)) {
            throw new IllegalArgumentException("model spec: 'type' is '" + type + "', " + EXTENSION_TYPES.get(type)
                    + ", which a plan cannot train yet (types a plan trains: " + String.join(", ", TYPES) + ")");
        }
        // logistic, mlp, and every malformed or unknown spec: the dense reader says what is wrong, naming the key
        return DenseSpecReader.read(yamlOrJson);
    }

    /** Reads a spec from a YAML or JSON file; errors name the file and the field. */
    static ModelSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model spec " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The text's top-level {@code type} when it is a mapping with a text {@code type}; null otherwise. */
    private static String peekType(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // JSON first; then YAML, which also reads flow style such as {type: cnn, conv: [...]}
        for (ObjectMapper mapper : text.stripLeading().startsWith("{")
                ? List.of(new JsonMapper(), new YAMLMapper()) : List.of(new YAMLMapper())) {
            try {
                JsonNode node = mapper.readTree(text);
                JsonNode type = node == null ? null : node.get("type");
                return type != null && type.isTextual() ? type.asText() : null;
            } catch (IOException | RuntimeException e) {
                // not this syntax
            }
        }
        return null;
    }
}
