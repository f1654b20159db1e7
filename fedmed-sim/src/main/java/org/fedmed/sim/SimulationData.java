package org.fedmed.sim;

import java.util.Locale;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.registry.DatasetRegistry;

/** Turns a simulation config's data keys into the sites' preprocessed train/test splits. */
public final class SimulationData {
    private SimulationData() {
    }

    public static DataOptions options(SimulationConfig c) {
        return new DataOptions(c.dataset(), c.sites(), PartitionerKind.valueOf(c.partition().toUpperCase(Locale.ROOT)),
                c.alpha(), c.testFraction(), preprocessing(c), c.seed());
    }

    /** The preprocessing a simulation config's keys ask for. */
    public static PreprocessOptions preprocessing(SimulationConfig c) {
        return new PreprocessOptions(MissingPolicy.fromKey("missing", c.missing()), ConstantFill.fromKey(c.fill()),
                c.missingIndicators(), OneHot.fromKey("one_hot", c.oneHot()), c.standardize(),
                StandardDeviation.fromKey("sd", c.sd()), Clipping.fromKey(c.clipQuantiles()),
                StatsMode.valueOf(c.stats().toUpperCase(Locale.ROOT)), PreprocessOptions.DEFAULT_BINS);
    }

    public static FederatedDataset load(SimulationConfig c, DatasetRegistry registry) {
        return FederatedDatasets.load(registry, options(c));
    }
}
