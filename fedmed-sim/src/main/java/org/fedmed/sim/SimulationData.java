package org.fedmed.sim;

import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.population.Population;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.SimulationConfig;

/** Turns a simulation config's data keys into the sites' preprocessed train/test splits. */
public final class SimulationData {
    private SimulationData() {
    }

    public static DataOptions options(SimulationConfig c) {
        return new DataOptions(c.dataset(), c.sites(), c.partition(), c.alpha(), c.testFraction(), preprocessing(c),
                c.seed());
    }

    /** The preprocessing a simulation config's keys ask for. */
    public static PreprocessOptions preprocessing(SimulationConfig c) {
        return c.preprocessing();
    }

    /**
     * The dataset's own sites, as the config's data keys make them.
     *
     * @throws IllegalArgumentException naming key {@code population} when the config describes a population, which
     *                                  only {@code simulate} runs ({@link #population})
     */
    public static FederatedDataset load(SimulationConfig c, DatasetRegistry registry) {
        if (c.population() != null) {
            throw new IllegalArgumentException("config key 'population': a population of virtual sites runs with"
                    + " 'fedmed simulate' only; remove the section to run this command on the dataset's own sites");
        }
        return FederatedDatasets.load(registry, options(c));
    }

    /**
     * A config's population and its evaluation sample: {@code population.evaluation_sites} sites drawn as
     * {@link Population#sample} documents, built.
     */
    public record PopulationData(Population population, FederatedDataset sample) {
    }

    /** Opens the population a config's {@code population:} section describes, and builds its evaluation sample. */
    public static PopulationData population(SimulationConfig c, DatasetRegistry registry) {
        if (c.population() == null) {
            throw new IllegalArgumentException("the config has no 'population' section");
        }
        Population p = Population.open(c.populationSpec(), registry);
        return new PopulationData(p, p.federation(p.sample(c.population().evaluationSites())));
    }
}
