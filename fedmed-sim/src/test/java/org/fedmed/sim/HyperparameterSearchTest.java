package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.plan.ConfigLoader;
import org.junit.jupiter.api.Test;

class HyperparameterSearchTest {

    @Test
    void searchNeverReadsTheTestSplits() {
        FederatedDataset clean = SyntheticFederation.build(5, 100, 120);
        // Test splits full of NaN: any metric computed on them would be NaN.
        List<SiteData> sites = clean.sites().stream().map(s -> {
            float[] nan = new float[s.test().features().length];
            Arrays.fill(nan, Float.NaN);
            return new SiteData(s.siteId(), s.train(), new LabeledData(nan, s.test().labels(), s.test().rows(),
                    s.test().cols(), 2, s.test().featureNames()), s.quality());
        }).toList();
        FederatedDataset data = new FederatedDataset("synthetic", sites, Map.of(), clean.featureNames(), 2);
        var cfg = ConfigLoader.parse("rounds: 4\n", "test", Map.of());
        var outcome = new HyperparameterSearch(cfg, null).run(data, List.of(0.01, 0.3), List.of(1, 2), List.of(16), 0.25);
        assertEquals(4, outcome.trials().size());
        for (var t : outcome.trials()) {
            assertTrue(Double.isFinite(t.validation().get("log_loss")), t.toString());
        }
    }

    @Test
    void trialsAreRankedByValidationLossBestFirst() {
        FederatedDataset data = SyntheticFederation.build(6, 150, 150);
        var cfg = ConfigLoader.parse("rounds: 3\n", "test", Map.of());
        var outcome = new HyperparameterSearch(cfg, null).run(data, List.of(0.0001, 0.1), List.of(1), List.of(16), 0.2);
        assertEquals(0.1, outcome.best().candidate().lr(), "a learning rate of 1e-4 barely moves in 3 rounds");
        double first = outcome.trials().get(0).validation().get("log_loss");
        double second = outcome.trials().get(1).validation().get("log_loss");
        assertTrue(first <= second);
    }
}
