package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.ComparisonTable;
import org.fedmed.sim.report.RegimeResult;
import org.junit.jupiter.api.Test;

/** The final table applies the small-cell rule: no metric of a site's test split smaller than {@code min_rows}. */
class SmallTestSplitTest {

    private static final List<String> METRICS = List.of("accuracy", "balanced_accuracy", "roc_auc", "log_loss", "f1");

    @Test
    void aSiteWhoseTestSplitIsBelowMinRowsHasEveryMetricWithheldInEveryRegimeWhileItsRowsStayPooled() {
        FederatedDataset data = SyntheticFederation.build(5, 120, 100, 80); // test rows 40, 33, 26
        assertEquals(26, data.sites().get(2).test().rows());
        ComparisonReport report = new ComparisonExperiment(
                ComparisonExperimentTest.config("rounds: 3\nmin_rows: 30\n"), null).run(data);
        String reason = "fewer test rows than min_rows (30): withheld";
        for (RegimeResult r : report.regimes().values()) {
            assertEquals(Map.of(), r.sites().get("site2"), r.regime());
            assertEquals(METRICS, List.copyOf(r.undefined().get("site2").keySet()), r.regime());
            assertTrue(r.undefined().get("site2").values().stream().allMatch(reason::equals), r.regime());
            assertTrue(r.sites().get("site0").containsKey("accuracy") && r.sites().get("site1").containsKey("roc_auc"),
                    r.regime() + ": sites at or above min_rows keep their metrics");
            assertEquals(26, r.testRows().get("site2"));
            assertEquals(99, r.testRows().values().stream().mapToInt(Integer::intValue).sum(),
                    "the withheld site's rows still count in the pooled metrics");
            assertTrue(r.pooled().containsKey("accuracy"), r.regime());
        }
        String table = ComparisonTable.render(report);
        assertTrue(table.contains(String.join(", ", METRICS) + ": n/a at site2 (local, federated, centralized): "
                + reason + "\n"), table);
        assertEquals(1, table.lines().filter(l -> l.contains("n/a at site2")).count(), table);
    }

    @Test
    void sitesWithheldForTheSameReasonShareOneNote() {
        FederatedDataset data = SyntheticFederation.build(5, 120, 100, 80); // test rows 40, 33, 26
        ComparisonReport report = new ComparisonExperiment(
                ComparisonExperimentTest.config("rounds: 2\nmin_rows: 34\n"), null).run(data);
        List<String> notes = ComparisonTable.undefinedNotes(report);
        assertEquals(List.of(String.join(", ", METRICS) + ": n/a at site1, site2 (local, federated, centralized):"
                + " fewer test rows than min_rows (34): withheld"), notes);
    }

    @Test
    void aSiteExactlyAtMinRowsKeepsItsMetrics() {
        FederatedDataset data = SyntheticFederation.build(5, 120, 100, 80);
        ComparisonReport report = new ComparisonExperiment(
                ComparisonExperimentTest.config("rounds: 2\nmin_rows: 26\n"), null).run(data);
        for (RegimeResult r : report.regimes().values()) {
            assertTrue(r.sites().get("site2").containsKey("accuracy"), r.regime() + ": " + r.undefined());
        }
    }
}
