package org.fedmed.spark;

import java.io.Serial;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.SiteClient;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.population.Population;
import org.fedmed.data.population.PopulationSpec;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;

/**
 * The virtual sites of a {@link PopulationSpec}, each trained by a plain {@link TrainingSiteClient} of the model
 * {@code modelSpec} describes, exactly as an in-process pool builds it: the site's rows from
 * {@link Population#site(long)}, its quality, and one model per JVM shared by its sites. What is serialized is the
 * spec and the model spec's JSON; each JVM opens the population (its base pool is read once per JVM) and builds the
 * model once, on first use.
 *
 * @param population the population's spec
 * @param modelSpec  the model spec as {@link ModelSpec#toJson()} writes it
 */
public record PopulationSites(PopulationSpec population, String modelSpec) implements VirtualSites {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final ConcurrentHashMap<PopulationSpec, Population> OPENED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Model> MODELS = new ConcurrentHashMap<>();

    public PopulationSites {
        if (population == null || modelSpec == null || modelSpec.isBlank()) {
            throw new IllegalArgumentException("population sites need a population spec and a model spec, got "
                    + population + ", '" + modelSpec + "'");
        }
        if (population.size() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("population size " + population.size() + " is above what a Spark pool"
                    + " lists (" + (Integer.MAX_VALUE - 8) + ")");
        }
    }

    /** The sites of {@code population}, training the model of {@code spec}. */
    public static PopulationSites of(PopulationSpec population, ModelSpec spec) {
        return new PopulationSites(population, spec.toJson());
    }

    /** The population, opened once per JVM. */
    public Population opened() {
        return OPENED.computeIfAbsent(population, Population::open);
    }

    /** The model every site of the population trains, built once per JVM. */
    public Model model() {
        Population p = opened();
        return MODELS.computeIfAbsent(modelSpec + "\u0000" + p.featureNames().size() + "\u0000" + p.classes() + "\u0000"
                + p.labelLayout(), k -> {
                    ModelSpec spec = ModelSpec.parse(modelSpec);
                    return Models.build(spec, p.featureNames().size(),
                            Models.objective(spec, p.labelLayout(), p.classes()));
                });
    }

    /** The population's sorted view of its ids, which a round samples without listing. */
    @Override
    public List<String> siteIds() {
        return opened().siteIds();
    }

    /** Site {@code siteId}'s rows, built now from the seed. */
    public SiteData data(String siteId) {
        Population p = opened();
        return p.site(p.index(siteId));
    }

    @Override
    public SiteClient site(String siteId) {
        SiteData d = data(siteId);
        return new TrainingSiteClient(siteId, model(), d.train(), d.test(), d.quality());
    }

    @Override
    public String region(String siteId) {
        Population p = opened();
        return p.region(p.index(siteId));
    }
}
