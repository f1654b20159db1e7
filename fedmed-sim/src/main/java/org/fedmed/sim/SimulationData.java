package org.fedmed.sim;

import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
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

    public static FederatedDataset load(SimulationConfig c, DatasetRegistry registry) {
        return FederatedDatasets.load(registry, options(c));
    }
}
