package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.junit.jupiter.api.Test;

/** The README's main job, on the real four-hospital data, with a short round budget. */
class FedHeartDiseaseSimulationTest {

    @Test
    void threeRegimesRunOnTheFourHospitalsWithProvenance() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = ConfigLoader.parse("rounds: 30\n", "test", Map.of());
        var data = SimulationData.load(cfg, registry);
        var report = new ComparisonExperiment(cfg, null).run(data);

        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"), data.siteIds());
        assertEquals("c1a68b0099f13630967e05a357aa7f856bf0b784124f9ae4a01612d5378617a9",
                report.provenance().datasetChecksums().get("cleveland.csv"));
        assertEquals(4, report.provenance().datasetChecksums().size());
        for (var regime : report.regimes().values()) {
            assertTrue(regime.pooled().get("roc_auc") > 0.8, regime.regime() + ": " + regime.pooled());
        }
        int trainRows = report.provenance().trainRows().values().stream().mapToInt(Integer::intValue).sum();
        int testRows = report.provenance().testRows().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(920, trainRows + testRows, "every patient is in exactly one split");
    }
}
