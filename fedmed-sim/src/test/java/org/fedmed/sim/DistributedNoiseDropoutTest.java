package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.sim.report.ComparisonReport;
import org.junit.jupiter.api.Test;

/**
 * Distributed DP-FedAvg noise under secure aggregation when sampled sites drop before their masked input. Each site's
 * share is sized for {@code min_fit_sites} (at least 3, the protocol's cohort), and no sum of fewer masked inputs is
 * ever unmasked, so every released sum carries at least the central noise the account charges. With
 * {@code min_fit_sites} equal to {@code sites_per_round} a round missing a share releases no model (among 3 sites
 * the protocol aborts and reveals nothing); with fewer, the round completes with the survivors' shares, and with
 * fewer survivors than {@code min_fit_sites} it is aborted before any share is asked for. Either way the round is
 * charged once.
 */
class DistributedNoiseDropoutTest {

    static final String PLAN = """
            rounds: 3
            min_fit_sites: %d
            seed: 5
            simulation: {regimes: [federated]}
            dp: {noise: distributed, noise_multiplier: 1.0, clip_norm: 1.0, sampling: fixed, sites_per_round: %d,
                 delta: 1.0e-5}
            secure_aggregation: {clip_bound: 4}
            """;

    /** The in-process pool with the first {@code drops} sites that get round 2's masked-input stage dropping there. */
    static final class DropsAtRoundTwosMaskedInput implements SitePool {
        private final SitePool inner;
        private final int drops;
        final java.util.Set<String> dropped = java.util.concurrent.ConcurrentHashMap.newKeySet();

        DropsAtRoundTwosMaskedInput(SitePool inner, int drops) {
            this.inner = inner;
            this.drops = drops;
        }

        @Override
        public List<String> availableSites() {
            return inner.availableSites();
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, sink);
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, enough, sink);
        }

        @Override
        public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
            inner.evaluate(tasks, deadline, sink);
        }

        @Override
        public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
            List<ExchangeMessage> sent = new ArrayList<>();
            for (ExchangeMessage m : messages) {
                if (m.stage() == ExchangeStage.MASKED_INPUT && m.taskId().startsWith("r2-")
                        && (dropped.contains(m.siteId()) || dropped.size() < drops)) {
                    dropped.add(m.siteId());
                    sink.failure(new SiteFailure(2, m.siteId(), SiteFailure.Kind.ERROR, "the site went away"));
                } else {
                    sent.add(m);
                }
            }
            inner.exchange(sent, deadline, sink);
        }
    }

    private static ComparisonReport run(int minFitSites, int sitesPerRound, int drops) {
        FederatedDataset data = SyntheticFederation.build(17, 120, 120, 120, 120);
        var config = ConfigLoader.parse(PLAN.formatted(minFitSites, sitesPerRound), "test", Map.of());
        ComparisonExperiment experiment = new ComparisonExperiment(config, null);
        return (drops > 0 ? experiment.withSitePool(inner -> new DropsAtRoundTwosMaskedInput(inner, drops))
                : experiment).run(data);
    }

    @Test
    void withMinFitSitesEqualToTheSampledSitesARoundMissingAShareReleasesNoModel() {
        ComparisonReport report = run(3, 3, 1);
        RoundRecord second = report.federated().rounds().get(1);
        assertFalse(second.completed(), "round 2 lost a share of its noise: " + second);
        assertTrue(second.failures().stream().anyMatch(f -> f.reason().contains("MASKED_INPUT")), second.toString());
        // among 3 sites one dropout leaves each survivor's self-mask seed with too few holders: nothing is revealed
        assertEquals(List.of(), second.succeeded(), second.toString());
        assertEquals(2, second.failures().stream().filter(f -> f.reason().contains("nothing was revealed")).count(),
                second.toString());
        assertTrue(report.federated().rounds().get(0).completed() && report.federated().rounds().get(2).completed());
        assertEquals(3, report.federated().privacy().rounds().size(), "the failed round is charged too");

        // control: without the dropout every round completes, and the model differs
        ComparisonReport clean = run(3, 3, 0);
        assertTrue(clean.federated().rounds().stream().allMatch(RoundRecord::completed));
        assertFalse(java.util.Arrays.equals(clean.federated().finalModel().flat(),
                report.federated().finalModel().flat()));
        assertEquals(clean.federated().privacy().epsilon(), report.federated().privacy().epsilon(),
                "the same rounds charged at the same q and z");
    }

    @Test
    void withFewerMinFitSitesTheRoundCompletesWithTheSurvivorsSharesOnly() {
        ComparisonReport report = run(3, 4, 1);
        RoundRecord second = report.federated().rounds().get(1);
        assertTrue(second.completed(), second.toString());
        assertEquals(3, second.succeeded().size(), "3 of the 4 shares, each sized for 3, are in the sum: " + second);
    }

    @Test
    void fewerSurvivorsThanMinFitSitesAbortBeforeAnySumIsUnmasked() {
        ComparisonReport report = run(3, 4, 2);
        RoundRecord second = report.federated().rounds().get(1);
        assertFalse(second.completed(), "2 shares sized for 3 would be less than the central noise: " + second);
        assertEquals(List.of(), second.succeeded(), second.toString());
        assertTrue(second.failures().stream().anyMatch(f -> f.reason().contains("fewer than the 3")),
                second.toString());
        assertTrue(report.federated().rounds().get(2).completed(), "the run goes on: " + report.federated().rounds());
        assertEquals(3, report.federated().privacy().rounds().size(), "the aborted round is charged too");
    }
}
