package org.fedmed.sim;

import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.SimulationConfig;

/** Turns a simulation config's data keys into the sites' preprocessed train/test splits. */
public final class SimulationData {
    private SimulationData() {
    }

    public static DataOptions options(SimulationConfig c) {
        return new DataOptions(c.dataset(), c.sites(), c.partition(), c.alpha(), c.testFraction(), c.missing(),
                c.missingIndicators(), true, c.stats(), c.seed());
    }

    public static FederatedDataset load(SimulationConfig c, DatasetRegistry registry) {
        return FederatedDatasets.load(registry, options(c));
    }
}
