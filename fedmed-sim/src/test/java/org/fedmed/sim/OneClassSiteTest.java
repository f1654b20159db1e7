package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.ComparisonTable;
import org.fedmed.sim.report.RegimeResult;
import org.junit.jupiter.api.Test;

/** A site whose rows hold one class trains with the others; only the metrics it cannot define are left out, with why. */
class OneClassSiteTest {

    /** Three sites of the synthetic federation, the last with every label set to 1 (train and test). */
    private static FederatedDataset withOneClassSite() {
        FederatedDataset base = SyntheticFederation.build(11, 120, 100, 80);
        SiteData last = base.sites().get(2);
        SiteData ones = new SiteData("ones", allOnes(last.train()), allOnes(last.test()), last.quality());
        return new FederatedDataset("synthetic", List.of(base.sites().get(0), base.sites().get(1), ones), Map.of(),
                base.featureNames(), 2);
    }

    private static LabeledData allOnes(LabeledData d) {
        float[] y = new float[d.rows()];
        java.util.Arrays.fill(y, 1f);
        return new LabeledData(d.features(), y, d.rows(), d.cols(), d.classes(), d.featureNames());
    }

    @Test
    void aOneClassSiteTrainsInEveryRegimeAndItsAucIsReportedNotAvailableWithTheReason() {
        FederatedDataset data = withOneClassSite();
        assertEquals(1, data.warnings().size());
        assertTrue(data.warnings().getFirst().startsWith("site 'ones': training rows hold only class [1]"),
                data.warnings().getFirst());
        ComparisonReport report = new ComparisonExperiment(ComparisonExperimentTest.config("rounds: 4\n"), null).run(data);
        assertEquals(data.warnings(), report.warnings());
        for (RegimeResult r : report.regimes().values()) {
            Map<String, Double> ones = r.sites().get("ones");
            assertFalse(ones.containsKey("roc_auc"), r.regime() + ": " + ones);
            assertEquals(Map.of("roc_auc", "test rows hold one class"), r.undefined().get("ones"), r.regime());
            assertTrue(ones.get("accuracy") >= 0 && ones.get("accuracy") <= 1, r.regime() + ": " + ones);
            assertTrue(r.sites().get("site0").containsKey("roc_auc"), r.regime());
            assertFalse(r.undefined().containsKey(RegimeResult.POOLED), r.regime());
            assertTrue(r.pooled().containsKey("roc_auc"), r.regime());
            int pooledRows = data.sites().stream().mapToInt(s -> s.test().rows()).sum();
            assertEquals(pooledRows, r.testRows().values().stream().mapToInt(Integer::intValue).sum());
        }
        assertEquals(4, report.federated().roundsRun());
        assertTrue(report.federated().rounds().stream().allMatch(rec -> rec.succeeded().contains("ones")),
                "the one-class site takes part in every round");
        String table = ComparisonTable.render(report);
        assertTrue(table.contains("roc_auc: n/a at ones (local, federated, centralized): test rows hold one class"), table);
    }

    @Test
    void theLocalOnlyModelOfAOneClassSitePredictsThatClass() {
        FederatedDataset data = withOneClassSite();
        ComparisonReport report = new ComparisonExperiment(
                ComparisonExperimentTest.config("rounds: 20\nsimulation: {regimes: [local]}\n"), null).run(data);
        assertEquals(1.0, report.regimes().get("local").sites().get("ones").get("accuracy"));
    }
}
