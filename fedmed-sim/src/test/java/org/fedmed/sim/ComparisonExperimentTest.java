package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.RegimeResult;
import org.junit.jupiter.api.Test;

class ComparisonExperimentTest {

    static SimulationConfig config(String yaml) {
        return ConfigLoader.parse(yaml, "test", Map.of());
    }

    @Test
    void reportHoldsEveryRegimeWithPerSiteAndPooledTestMetrics() {
        FederatedDataset data = SyntheticFederation.build(1, 120, 60, 200);
        ComparisonReport report = new ComparisonExperiment(config("rounds: 5\nlr: 0.1\n"), null).run(data);
        assertEquals(List.of("local", "federated", "centralized"), List.copyOf(report.regimes().keySet()));
        for (RegimeResult r : report.regimes().values()) {
            assertEquals(data.siteIds(), List.copyOf(r.sites().keySet()), r.regime());
            assertEquals(5, r.curve().size(), r.regime() + " learning curve has one point per round");
            assertTrue(r.pooled().get("roc_auc") > 0.7, r.regime() + " learns the shared signal: " + r.pooled());
            int pooledRows = data.sites().stream().mapToInt(s -> s.test().rows()).sum();
            assertEquals(pooledRows, r.testRows().values().stream().mapToInt(Integer::intValue).sum());
        }
        assertEquals(5, report.federated().roundsRun());
        assertEquals(42L, report.provenance().seed());
        assertEquals(Map.of("site0", 120, "site1", 60, "site2", 200), report.provenance().trainRows());
    }

    @Test
    void sameSeedGivesBitIdenticalFederatedParametersWhateverTheParallelism() {
        FederatedDataset data = SyntheticFederation.build(2, 80, 90, 100, 110);
        var a = new ComparisonExperiment(config("rounds: 8\nregimes: [federated]\nparallelism: 1\n"), null).run(data);
        var b = new ComparisonExperiment(config("rounds: 8\nregimes: [federated]\nparallelism: 4\n"), null).run(data);
        var c = new ComparisonExperiment(config("rounds: 8\nregimes: [federated]\nseed: 7\n"), null).run(data);
        assertArrayEquals(a.federated().finalModel().flat(), b.federated().finalModel().flat());
        assertFalse(java.util.Arrays.equals(a.federated().finalModel().flat(), c.federated().finalModel().flat()));
    }

    @Test
    void partialParticipationSamplesTheConfiguredNumberOfSitesEachRound() {
        FederatedDataset data = SyntheticFederation.build(3, 50, 50, 50, 50, 50);
        var report = new ComparisonExperiment(config("rounds: 6\nregimes: [federated]\nsites_per_round: 2\n"), null).run(data);
        report.federated().rounds().forEach(r -> assertEquals(2, r.selected().size()));
        long distinct = report.federated().rounds().stream().map(r -> r.selected()).distinct().count();
        assertTrue(distinct > 1, "sampling varies across rounds");
    }

    @Test
    void aSiteWithNaNInItsDataFailsEveryRoundAndIsRecordedWhileTheRunGoesOn() {
        FederatedDataset clean = SyntheticFederation.build(4, 80, 80, 80);
        SiteData bad = clean.sites().get(1);
        float[] x = bad.train().features().clone();
        x[5] = Float.NaN;
        LabeledData poisoned = new LabeledData(x, bad.train().labels(), bad.train().rows(), bad.train().cols(), 2,
                bad.train().featureNames());
        FederatedDataset data = new FederatedDataset("synthetic", List.of(clean.sites().get(0),
                new SiteData(bad.siteId(), poisoned, bad.test(), 1.0), clean.sites().get(2)), Map.of(),
                clean.featureNames(), 2);
        var report = new ComparisonExperiment(config("rounds: 3\nregimes: [federated]\n"), null).run(data);
        for (var r : report.federated().rounds()) {
            assertTrue(r.completed());
            assertEquals(List.of("site0", "site2"), r.succeeded());
            assertEquals("site1", r.failures().getFirst().siteId());
            assertTrue(r.failures().getFirst().reason().contains("site1"), r.failures().getFirst().reason());
        }
        assertEquals(-1, report.federated().finalModel().firstNonFinite());
    }
}
