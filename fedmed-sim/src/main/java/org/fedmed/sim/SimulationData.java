package org.fedmed.sim;

import java.util.Locale;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.SimulationConfig;

/** Turns a simulation config's data keys into the sites' preprocessed train/test splits. */
public final class SimulationData {
    private SimulationData() {
    }

    public static DataOptions options(SimulationConfig c) {
        return new DataOptions(c.dataset(), c.sites(), PartitionerKind.valueOf(c.partition().toUpperCase(Locale.ROOT)),
                c.alpha(), c.testFraction(), MissingPolicy.valueOf(c.missing().toUpperCase(Locale.ROOT)),
                c.missingIndicators(), true, StatsMode.valueOf(c.stats().toUpperCase(Locale.ROOT)), c.seed());
    }

    public static FederatedDataset load(SimulationConfig c, DatasetRegistry registry) {
        return FederatedDatasets.load(registry, options(c));
    }
}
