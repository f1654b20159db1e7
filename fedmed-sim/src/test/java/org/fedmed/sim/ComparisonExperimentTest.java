package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
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
        var a = new ComparisonExperiment(config("rounds: 8\nsimulation: {regimes: [federated], parallelism: 1}\n"), null).run(data);
        var b = new ComparisonExperiment(config("rounds: 8\nsimulation: {regimes: [federated], parallelism: 4}\n"), null).run(data);
        var c = new ComparisonExperiment(config("rounds: 8\nsimulation: {regimes: [federated]}\nseed: 7\n"), null).run(data);
        assertArrayEquals(a.federated().finalModel().flat(), b.federated().finalModel().flat());
        assertFalse(java.util.Arrays.equals(a.federated().finalModel().flat(), c.federated().finalModel().flat()));
    }

    @Test
    void fedProxChangesTheFederatedModelButNotTheBaselinesWhichHaveNoGlobalModel() {
        FederatedDataset data = SyntheticFederation.build(5, 60, 70, 80);
        var fedavg = new ComparisonExperiment(config("rounds: 3\nlr: 0.1\n"), null).run(data);
        var fedprox = new ComparisonExperiment(config("rounds: 3\nlr: 0.1\nstrategy: fedprox\nprox_mu: 0.5\n"), null)
                .run(data);
        for (String baseline : List.of("local", "centralized")) {
            assertEquals(fedavg.regimes().get(baseline).pooled(), fedprox.regimes().get(baseline).pooled(), baseline);
            assertEquals(fedavg.regimes().get(baseline).sites(), fedprox.regimes().get(baseline).sites(), baseline);
        }
        assertFalse(java.util.Arrays.equals(fedavg.federated().finalModel().flat(),
                fedprox.federated().finalModel().flat()));
    }

    @Test
    void partialParticipationSamplesTheConfiguredNumberOfSitesEachRound() {
        FederatedDataset data = SyntheticFederation.build(3, 50, 50, 50, 50, 50);
        var report = new ComparisonExperiment(config("rounds: 6\nsimulation: {regimes: [federated]}\nsites_per_round: 2\n"), null).run(data);
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
        var report = new ComparisonExperiment(config("rounds: 3\nsimulation: {regimes: [federated]}\n"), null).run(data);
        for (var r : report.federated().rounds()) {
            assertTrue(r.completed());
            assertEquals(List.of("site0", "site2"), r.succeeded());
            assertEquals("site1", r.failures().getFirst().siteId());
            assertTrue(r.failures().getFirst().reason().contains("site1"), r.failures().getFirst().reason());
        }
        assertEquals(-1, report.federated().finalModel().firstNonFinite());
    }

    @Test
    void dpRunReportsEpsilonAfterEveryRoundAndItGrows() {
        FederatedDataset data = SyntheticFederation.build(7, 100, 100, 100, 100);
        var report = new ComparisonExperiment(config("""
                rounds: 6
                simulation:
                  regimes: [federated]
                dp: {noise_multiplier: 1.0, clip_norm: 0.5, sampling: poisson, sample_rate: 0.5, delta: 1.0e-5}
                """), null).run(data);
        var privacy = report.federated().privacy();
        assertEquals("dp-fedavg", privacy.mechanism());
        assertEquals(6, privacy.rounds().size());
        for (int i = 1; i < privacy.rounds().size(); i++) {
            assertTrue(privacy.rounds().get(i).epsilon() > privacy.rounds().get(i - 1).epsilon());
        }
        var accountant = new org.fedmed.privacy.accounting.RdpAccountant().step(0.5, 1.0, 6);
        assertEquals(accountant.epsilon(1e-5).epsilon(), privacy.epsilon(), 1e-9);
    }

    @Test
    void dpRunStopsBeforeARoundThatWouldOverspendTheTarget() {
        FederatedDataset data = SyntheticFederation.build(8, 100, 100, 100, 100);
        double oneRound = new org.fedmed.privacy.accounting.RdpAccountant().step(1.0, 2.0, 1).epsilon(1e-5).epsilon();
        double threeRounds = new org.fedmed.privacy.accounting.RdpAccountant().step(1.0, 2.0, 3).epsilon(1e-5).epsilon();
        var e = assertThrows(IllegalArgumentException.class, () -> new ComparisonExperiment(config(
                "rounds: 10\nsimulation: {regimes: [federated]}\ndp: {noise_multiplier: 2.0, target_epsilon: " + threeRounds + "}\n"),
                null).run(data));
        assertTrue(e.getMessage().contains("at most 3 round(s) fit"), e.getMessage());
        assertTrue(oneRound < threeRounds);
    }

    @Test
    void localNoiseRunNamesItsMechanismAndStillLearns() {
        FederatedDataset data = SyntheticFederation.build(9, 300, 300, 300, 300);
        var report = new ComparisonExperiment(config("""
                rounds: 10
                simulation:
                  regimes: [federated]
                dp: {noise_multiplier: 0.05, clip_norm: 1.0, noise: local}
                """), null).run(data);
        assertEquals("dp-fedavg-local", report.federated().privacy().mechanism());
        assertTrue(report.regimes().get("federated").pooled().get("roc_auc") > 0.7,
                report.regimes().get("federated").pooled().toString());
    }

    @Test
    void secureAggregationGivesTheSameModelAsPlainFedAvgWithinQuantizationError() {
        FederatedDataset data = SyntheticFederation.build(10, 100, 120, 140, 160);
        var plain = new ComparisonExperiment(config("rounds: 4\nsimulation: {regimes: [federated]}\n"), null).run(data);
        var secure = new ComparisonExperiment(config(
                "rounds: 4\nsimulation: {regimes: [federated]}\nsecure_aggregation: {topology: secagg_plus, clip_bound: 4}\n"), null).run(data);
        assertEquals("fedavg+secagg+", secure.federated().strategy());
        float[] a = plain.federated().finalModel().flat();
        float[] b = secure.federated().finalModel().flat();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-3, "index " + i);
        }
    }

    @Test
    void secureAggregationWithCentralDpIsRefusedNamingTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> config(
                "secure_aggregation: {}\ndp: {noise: central}\n"));
        assertTrue(e.getMessage().contains("secure_aggregation") && e.getMessage().contains("local"), e.getMessage());
    }

    @Test
    void secureAggregationCarriesTheSitesLocalNoiseIntoTheSum() {
        FederatedDataset data = SyntheticFederation.build(11, 200, 200, 200, 200);
        var report = new ComparisonExperiment(config("""
                rounds: 5
                simulation:
                  regimes: [federated]
                dp: {noise_multiplier: 0.05, clip_norm: 1.0, noise: local}
                secure_aggregation: {clip_bound: 2}
                """), null).run(data);
        assertEquals("dp-fedavg-local+secagg+", report.federated().strategy());
        assertTrue(report.federated().privacy().epsilon() > 0);
        assertTrue(report.regimes().get("federated").pooled().get("roc_auc") > 0.7);
    }

    @Test
    void siteDpSgdReportsEachSitesOwnEpsilonWhichFallsWithMoreNoise() {
        FederatedDataset data = SyntheticFederation.build(12, 150, 150, 150);
        var low = new ComparisonExperiment(config(
                "rounds: 3\nsimulation: {regimes: [federated]}\nsite_dp: {noise_multiplier: 1.0, clip_norm: 1.0}\n"), null).run(data);
        var high = new ComparisonExperiment(config(
                "rounds: 3\nsimulation: {regimes: [federated]}\nsite_dp: {noise_multiplier: 3.0, clip_norm: 1.0}\n"), null).run(data);
        assertEquals(data.siteIds(), List.copyOf(low.federated().siteDpEpsilon().keySet()));
        for (String site : data.siteIds()) {
            double eLow = low.federated().siteDpEpsilon().get(site);
            double eHigh = high.federated().siteDpEpsilon().get(site);
            assertTrue(eLow > eHigh && eHigh > 0, site + ": " + eLow + " vs " + eHigh);
        }
        assertNull(new ComparisonExperiment(config("rounds: 1\nsimulation: {regimes: [federated]}\n"), null).run(data)
                .federated().siteDpEpsilon());
    }

    @Test
    void distributedNoiseNeedsSecureAggregationAndRunsUnderIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> config("dp: {noise: distributed}\n"));
        assertTrue(e.getMessage().contains("'dp.noise'") && e.getMessage().contains("secure_aggregation"), e.getMessage());
        FederatedDataset data = SyntheticFederation.build(13, 200, 200, 200, 200);
        var report = new ComparisonExperiment(config("""
                rounds: 5
                simulation:
                  regimes: [federated]
                dp: {noise_multiplier: 0.5, clip_norm: 1.0, noise: distributed}
                secure_aggregation: {clip_bound: 2}
                """), null).run(data);
        assertEquals("dp-fedavg-distributed+secagg+", report.federated().strategy());
        double central = new org.fedmed.privacy.accounting.RdpAccountant().step(1.0, 0.5, 5).epsilon(1e-5).epsilon();
        assertEquals(central, report.federated().privacy().epsilon(), 1e-9, "accounted as the central mechanism");
    }
}
