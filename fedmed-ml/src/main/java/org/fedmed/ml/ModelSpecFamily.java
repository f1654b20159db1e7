package org.fedmed.ml;

import java.nio.file.Path;
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

    /**
     * True when {@code definition} is a dataset definition file this family trains on (an image dataset definition
     * for fedmed-imaging) rather than a tabular one. The default reads none.
     */
    default boolean readsDataset(Path definition) {
        return false;
    }

    /**
     * What a deployment server needs to start a run of {@code spec} on the data {@code definition} describes: the
     * initial parameters from the run seed's init stream (as the family's simulation draws them) and the class count.
     *
     * @param dataRoots where the definition's data folder is looked for
     * @throws IllegalArgumentException naming the file or key at fault
     */
    default DatasetModel datasetModel(ModelSpec.Extension spec, Path definition, List<Path> dataRoots, long runSeed) {
        throw new UnsupportedOperationException("model family " + types() + " does not run in deployment");
    }

    /**
     * A deployed site of this family: a client that trains and evaluates {@code spec} on the site's own data as
     * {@code definition} describes it, and the layout of its model. {@code seed} plays the run seed's part in the
     * simulation of the same definition: a definition that deals its data to sites gives {@code member} the share
     * the simulation with run seed {@code seed} gives it, split as the simulation splits it, so the site trains on
     * exactly the simulated site's data.
     *
     * @param member the site's id in the definition ({@code site-1}, ...)
     * @param dp     DP-SGD's clipping and noise for every fit, or null to train plainly; the caller keeps the
     *               privacy account
     * @throws IllegalArgumentException naming the file or key at fault
     */
    default FamilySite openSite(String siteId, String member, ModelSpec.Extension spec, Path definition,
                                List<Path> dataRoots, long seed, DpNoise dp) {
        throw new UnsupportedOperationException("model family " + types() + " does not run in deployment");
    }

    /**
     * DP-SGD's per-example clipping and Gaussian noise for a family's site.
     *
     * @param clipNorm        C, each example's gradient norm bound
     * @param noiseMultiplier z, the noise standard deviation over C
     * @param noise           the noise generator of a fit, by the fit's seed (secure randomness in deployment)
     */
    record DpNoise(double clipNorm, double noiseMultiplier,
                   java.util.function.LongFunction<java.util.random.RandomGenerator> noise) {
    }

    /**
     * @param initial the model's initial parameters
     * @param classes the number of classes its labels carry
     */
    record DatasetModel(org.fedmed.core.ModelParameters initial, int classes) {
    }

    /**
     * A site client of a family with its model's layout and its image or row counts. Close it to free what the client
     * holds (a native network).
     */
    record FamilySite(org.fedmed.core.SiteClient client, org.fedmed.core.ParameterLayout layout, int trainCount,
                      int testCount, AutoCloseable resources) {
    }

    /** The registered family whose dataset definitions {@code definition} is one of, if any. */
    static Optional<ModelSpecFamily> forDataset(Path definition) {
        for (ModelSpecFamily family : ServiceLoader.load(ModelSpecFamily.class, ModelSpecFamily.class.getClassLoader())) {
            if (family.readsDataset(definition)) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

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
