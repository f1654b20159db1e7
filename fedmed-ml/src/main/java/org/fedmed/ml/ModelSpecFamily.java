package org.fedmed.ml;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A model family that lives in a module fedmed-ml does not depend on (the CNN and ResNet of the optional
 * {@code fedmed-imaging}), registered as a {@link ServiceLoader} service
 * ({@code META-INF/services/org.fedmed.ml.ModelSpecFamily}), so {@link ModelSpec#parse} reads its specs whenever the
 * module is on the class path, and without it refuses them naming the module. A family owns its {@code type} keys and
 * its strict reader; nothing here imports it.
 */
public interface ModelSpecFamily {

    /** The spec-file {@code type}s this family reads, e.g. {@code cnn}, {@code resnet}. */
    List<String> types();

    /**
     * Reads a spec of one of {@link #types()} from YAML or JSON text, strictly.
     *
     * @throws IllegalArgumentException naming the unknown key or the bad field
     */
    ModelSpec.Extension read(String yamlOrJson);

    /** The registered family that reads {@code type}, if one is on the class path. */
    static Optional<ModelSpecFamily> forType(String type) {
        for (ModelSpecFamily family : ServiceLoader.load(ModelSpecFamily.class, ModelSpecFamily.class.getClassLoader())) {
            if (family.types().contains(type)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }
}
