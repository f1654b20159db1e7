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
 * Distributed DP-FedAvg noise under secure aggregation when a sampled site drops before its masked input: the
 * sum would hold one share of the noise fewer than the m the account assumes. With {@code min_fit_sites} equal to
 * {@code sites_per_round} such a round releases no model (it fails and the global model is kept, as
 * docs/deployment.md says; among 3 sites the protocol aborts and reveals nothing); with fewer, the round completes
 * with the survivors' shares only, the case the docs name as the epsilon's assumption. Either way the round is
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

    /** The in-process pool with the first site that gets round 2's masked-input stage dropping there. */
    static final class DropsAtRoundTwosMaskedInput implements SitePool {
        private final SitePool inner;
        volatile String dropped;

        DropsAtRoundTwosMaskedInput(SitePool inner) {
            this.inner = inner;
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
                        && (dropped == null || dropped.equals(m.siteId()))) {
                    dropped = m.siteId();
                    sink.failure(new SiteFailure(2, m.siteId(), SiteFailure.Kind.ERROR, "the site went away"));
                } else {
                    sent.add(m);
                }
            }
            inner.exchange(sent, deadline, sink);
        }
    }

    private static ComparisonReport run(int minFitSites, int sitesPerRound, boolean dropout) {
        FederatedDataset data = SyntheticFederation.build(17, 120, 120, 120, 120);
        var config = ConfigLoader.parse(PLAN.formatted(minFitSites, sitesPerRound), "test", Map.of());
        ComparisonExperiment experiment = new ComparisonExperiment(config, null);
        return (dropout ? experiment.withSitePool(DropsAtRoundTwosMaskedInput::new) : experiment).run(data);
    }

    @Test
    void withMinFitSitesEqualToTheSampledSitesARoundMissingAShareReleasesNoModel() {
        ComparisonReport report = run(3, 3, true);
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
        ComparisonReport clean = run(3, 3, false);
        assertTrue(clean.federated().rounds().stream().allMatch(RoundRecord::completed));
        assertFalse(java.util.Arrays.equals(clean.federated().finalModel().flat(),
                report.federated().finalModel().flat()));
        assertEquals(clean.federated().privacy().epsilon(), report.federated().privacy().epsilon(),
                "the same rounds charged at the same q and z");
    }

    @Test
    void withFewerMinFitSitesTheRoundCompletesWithTheSurvivorsSharesOnly() {
        ComparisonReport report = run(3, 4, true);
        RoundRecord second = report.federated().rounds().get(1);
        assertTrue(second.completed(), second.toString());
        assertEquals(3, second.succeeded().size(), "3 of the 4 shares are in the released sum: " + second);
    }
}
