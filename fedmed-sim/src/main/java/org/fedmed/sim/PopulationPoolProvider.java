package org.fedmed.sim;

import java.util.List;
import java.util.ServiceLoader;
import org.fedmed.core.engine.SitePool;
import org.fedmed.data.population.PopulationSpec;
import org.fedmed.ml.ModelSpec;

/**
 * An engine from an optional module that builds the site pool a population's rounds run on: {@code fedmed-spark}
 * registers one for {@link SimulationEngine#SPARK} as a {@link ServiceLoader} service, so nothing here depends on
 * Spark. The pool it opens builds each virtual site from {@code population} and trains it with the model of
 * {@code model}, as the in-process pool does; closing it releases what it opened (a Spark context).
 */
public interface PopulationPoolProvider {

    /** The engine this provider runs. */
    SimulationEngine engine();

    /**
     * A pool over {@code population} on {@code choice}'s master, evaluating the global model on
     * {@code evaluationSites} (ids of the population). Rounds whose strategy aggregates by region (two tiers) are
     * folded by the population's regions.
     */
    SitePool open(EngineChoice choice, PopulationSpec population, ModelSpec model, List<String> evaluationSites);

    /**
     * The provider of {@code engine}.
     *
     * @throws IllegalStateException when no module on the class path provides it, saying how to add it
     */
    static PopulationPoolProvider of(SimulationEngine engine) {
        for (PopulationPoolProvider p : ServiceLoader.load(PopulationPoolProvider.class,
                PopulationPoolProvider.class.getClassLoader())) {
            if (p.engine() == engine) {
                return p;
            }
        }
        throw new IllegalStateException("--engine " + engine.key() + " needs the optional fedmed-spark module on the"
                + " class path: run bin/fedmed with FEDMED_SPARK=1 (it builds fedmed-spark and adds its jars), or put"
                + " fedmed-spark-*.jar and its dependencies (./mvnw dependency:copy-dependencies -pl fedmed-spark) beside"
                + " fedmed.jar on -cp");
    }
}
