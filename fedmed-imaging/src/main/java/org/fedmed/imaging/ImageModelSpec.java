package org.fedmed.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedmed.ml.OptimizerSpec;

/**
 * A declarative description of an image model a site trains through DJL: a {@link CnnSpec} (convolution, pooling
 * and dense stacks) or a {@link ResNetSpec} (basic residual blocks). Like the tabular {@code org.fedmed.ml.ModelSpec}
 * it is data only (YAML or JSON, the {@code model:} block of a plan), so a coordinator can tell a site what to train
 * but never ship code to it; the input shape and the number of classes come from the site's data when the model is
 * built ({@link ImageModel#build}). Every instance is valid: constructors reject bad values with a message naming
 * the field. {@code parse(spec.toJson())} equals {@code spec}. It is a member of the model-spec family
 * ({@link org.fedmed.ml.ModelSpec.Extension}), built by {@link ImageModel#build}, never by {@code Models.build}.
 */
public sealed interface ImageModelSpec extends org.fedmed.ml.ModelSpec.Extension permits CnnSpec, ResNetSpec {

    /** The spec-file {@code type}: {@code cnn} or {@code resnet}. */
    String type();

    /** The non-linearity after each hidden layer. */
    Activation activation();

    /** The site's local optimizer (the learning rate comes with each fit). */
    OptimizerSpec optimizer();

    /** The spec as an ordered map in file spelling, for provenance. */
    Map<String, Object> toMap();

    /** The spec as compact JSON; {@link #parse(String)} reads it back to an equal spec. */
    default String toJson() {
        return ImageSpecReader.toJson(toMap());
    }

    /**
     * Reads a spec from YAML or JSON text.
     *
     * @throws IllegalArgumentException naming the unknown key or the bad field
     */
    static ImageModelSpec parse(String yamlOrJson) {
        return ImageSpecReader.read(yamlOrJson);
    }

    /** Reads a spec from a YAML or JSON file; errors name the file and the field. */
    static ImageModelSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image model spec " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
