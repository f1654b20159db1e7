package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.junit.jupiter.api.Test;

class FoldedRoundTest {

    private static List<RoundEngineTest.TargetSite> sites() {
        List<RoundEngineTest.TargetSite> s = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            s.add(new RoundEngineTest.TargetSite("site-" + k, k % 5, 5 + 3L * k));
        }
        return s;
    }

    private static FederatedAveraging fedAdam(AggregationRule rule) {
        return new FederatedAveraging("fedadam", SiteWeighting.SAMPLE_COUNT, SiteSelection.count(8, 2),
                new FitConfig(1, 8, 0.1, false, 0), new ServerOptimizerSettings(ServerOptimizerSettings.Kind.ADAM, 0.1, 0, 0.9, 0.99, 1e-3), 0, rule, 0);
    }

    /** Counts how many rounds went through the folded path. */
    private static final class CountingFoldPool implements FoldingSitePool {
        final LocalFoldingPool inner;
        int folded;
        int shipped;

        CountingFoldPool(SitePool pool) {
            this.inner = new LocalFoldingPool(pool);
        }

        @Override
        public org.fedmed.core.strategy.LinearFold fitFolded(List<org.fedmed.core.FitTask> tasks,
                                                             java.time.Duration deadline, FoldPlan plan,
                                                             OutcomeSink<FoldedFit> sink) {
            folded++;
            return inner.fitFolded(tasks, deadline, plan, sink);
        }

        @Override
        public List<String> availableSites() {
            return inner.availableSites();
        }

        @Override
        public void fit(List<org.fedmed.core.FitTask> tasks, java.time.Duration deadline,
                        OutcomeSink<org.fedmed.core.FitResult> sink) {
            shipped++;
            inner.fit(tasks, deadline, sink);
        }

        @Override
        public void evaluate(List<org.fedmed.core.EvalTask> tasks, java.time.Duration deadline,
                             OutcomeSink<org.fedmed.core.EvalResult> sink) {
            inner.evaluate(tasks, deadline, sink);
        }
    }

    private static RunResult run(FederatedAveraging strategy, EngineConfig cfg, boolean fold, int[] counts) {
        try (InProcessSitePool pool = new InProcessSitePool(sites(), 2)) {
            SitePool p = pool;
            CountingFoldPool counting = null;
            if (fold) {
                counting = new CountingFoldPool(pool);
                p = counting;
            }
            RunResult r = new RoundEngine(strategy, p, cfg, null).run(RoundEngineTest.zero());
            if (counting != null) {
                counts[0] = counting.folded;
                counts[1] = counting.shipped;
            }
            return r;
        }
    }

    @Test
    void aFoldedRunKeepsTheServerOptimizerRecordsAndRefusalsOfAShippedOne() {
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(4), 9).withInfluence(new InfluenceLimits(0.5, 2.0))
                .withMinRows(8);
        int[] counts = new int[2];
        RunResult shipped = run(fedAdam(new AggregationRule.Mean()), cfg, false, counts);
        RunResult folded = run(fedAdam(new AggregationRule.Mean()), cfg, true, counts);
        assertEquals(4, counts[0], "every round folded");
        assertEquals(0, counts[1]);
        float[] a = shipped.finalModel().flat();
        float[] b = folded.finalModel().flat();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5f, "coordinate " + i);
        }
        for (int r = 0; r < 4; r++) {
            RoundRecord x = shipped.rounds().get(r);
            RoundRecord y = folded.rounds().get(r);
            assertEquals(x.selected(), y.selected());
            assertEquals(x.succeeded(), y.succeeded());
            assertEquals(x.failures(), y.failures(), "min_rows refuses site-0 and site-1 in the same words");
            assertEquals(x.fitClaims(), y.fitClaims());
        }
        assertTrue(shipped.rounds().stream().anyMatch(r -> !r.failures().isEmpty()), "the control: some site refused");
    }

    @Test
    void aRobustRuleShipsItsUpdatesThroughAFoldingPool() {
        int[] counts = new int[2];
        RunResult r = run(fedAdam(new AggregationRule.Median()), EngineConfig.of(StoppingRule.rounds(2), 3), true,
                counts);
        assertEquals(0, counts[0]);
        assertEquals(2, counts[1]);
        assertEquals(2, r.rounds().size());
    }
}
