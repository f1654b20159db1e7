package org.fedmed.spark;

import org.fedmed.core.engine.SitePool;
import org.fedmed.data.population.PopulationSpec;
import org.fedmed.ml.ModelSpec;
import org.fedmed.sim.EngineChoice;
import org.fedmed.sim.PopulationPoolProvider;
import org.fedmed.sim.SimulationEngine;

/** The Spark engine for {@code fedmed simulate --engine spark}: a {@link SparkSitePool} that owns its context. */
public final class SparkPoolProvider implements PopulationPoolProvider {

    @Override
    public SimulationEngine engine() {
        return SimulationEngine.SPARK;
    }

    @Override
    public SitePool open(EngineChoice choice, PopulationSpec population, ModelSpec model,
                         java.util.List<String> evaluationSites) {
        if (choice.engine() != SimulationEngine.SPARK) {
            throw new IllegalArgumentException("the Spark provider runs --engine spark, not " + choice.describe());
        }
        return new SparkSitePool(SparkContexts.open(choice.master(), "fedmed simulate"),
                PopulationSites.of(population, model), evaluationSites, true);
    }
}
