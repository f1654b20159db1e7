package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process pool closes a fit once it has enough results and cuts the stragglers, as over-selection asks. */
@Timeout(60)
class InProcessOverSelectionTest {

    static final Duration LONG_DEADLINE = Duration.ofSeconds(60);

    /** A site whose fit says it has started, blocks until it is interrupted, and says so. */
    static final class StragglerSite extends RoundEngineTest.TargetSite {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        StragglerSite(String id) {
            super(id, 9, 10);
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }
    }

    /** A site that answers only once {@code first} has started, so a cut finds that work running, not queued. */
    static RoundEngineTest.TargetSite after(CountDownLatch first, String id, float target, long examples) {
        return new RoundEngineTest.TargetSite(id, target, examples) {
            @Override
            public FitResult fit(FitTask t) throws Exception {
                first.await();
                return super.fit(t);
            }
        };
    }

    static FitTask task(String site) {
        return new FitTask(1, site, RoundEngineTest.zero(), new FitConfig(1, 8, 0.1, false, 3));
    }

    static OutcomeSink<FitResult> recording(List<Object> outcomes) {
        return new OutcomeSink<>() {
            @Override
            public void success(FitResult result) {
                outcomes.add(result);
            }

            @Override
            public void failure(SiteFailure failure) {
                outcomes.add(failure);
            }
        };
    }

    @Test
    void stragglerIsInterruptedAndReportedAsCutOnceEnoughResultsArrivedInTaskOrder() throws Exception {
        StragglerSite slow = new StragglerSite("a");
        var sites = List.of(slow, after(slow.started, "b", 2, 10), after(slow.started, "c", 6, 20));
        List<Object> outcomes = new ArrayList<>();
        try (InProcessSitePool pool = new InProcessSitePool(sites, 3)) {
            pool.fit(List.of(task("a"), task("b"), task("c")), LONG_DEADLINE, 2, recording(outcomes));
        }
        assertEquals(3, outcomes.size(), "every task reported once");
        SiteFailure cut = assertInstanceOf(SiteFailure.class, outcomes.get(0), "reported in task order");
        assertEquals("a", cut.siteId());
        assertEquals(SiteFailure.Kind.TIMEOUT, cut.kind());
        assertEquals(OverSelection.cutReason(2), cut.reason());
        assertTrue(cut.reason().contains("over-selection"), cut.reason());
        assertEquals("b", assertInstanceOf(FitResult.class, outcomes.get(1)).siteId());
        assertEquals("c", assertInstanceOf(FitResult.class, outcomes.get(2)).siteId());
        assertTrue(slow.interrupted.await(10, TimeUnit.SECONDS), "the straggler's work is interrupted");
    }

    @Test
    void failedSiteDoesNotCountTowardsEnough() {
        RoundEngineTest.TargetSite failing = new RoundEngineTest.TargetSite("b", 2, 10);
        failing.failRound = 1;
        failing.failInRound = new IllegalStateException("disk full");
        CountDownLatch failureReported = new CountDownLatch(1);
        RoundEngineTest.TargetSite late = new RoundEngineTest.TargetSite("c", 6, 20) {
            @Override
            public FitResult fit(FitTask t) throws Exception {
                failureReported.await();
                return super.fit(t);
            }
        };
        List<Object> outcomes = new ArrayList<>();
        OutcomeSink<FitResult> sink = recording(outcomes);
        try (InProcessSitePool pool = new InProcessSitePool(List.of(new RoundEngineTest.TargetSite("a", 1, 10),
                failing, late), 3)) {
            pool.fit(List.of(task("a"), task("b"), task("c")), LONG_DEADLINE, 2, new OutcomeSink<>() {
                @Override
                public void success(FitResult result) {
                    sink.success(result);
                }

                @Override
                public void failure(SiteFailure failure) {
                    sink.failure(failure);
                    failureReported.countDown();
                }
            });
        }
        assertEquals(SiteFailure.Kind.ERROR, assertInstanceOf(SiteFailure.class, outcomes.get(1)).kind());
        assertEquals("c", assertInstanceOf(FitResult.class, outcomes.get(2)).siteId(),
                "the error left the round one result short, so c was waited for");
    }

    @Test
    void enoughBelowOneIsRefused() {
        try (InProcessSitePool pool = new InProcessSitePool(List.of(new RoundEngineTest.TargetSite("a", 1, 10)), 1)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> pool.fit(List.of(task("a")), LONG_DEADLINE, 0, recording(new ArrayList<>())));
            assertTrue(e.getMessage().contains("enough"), e.getMessage());
        }
    }

    @Test
    void roundWithOverSelectionCompletesWithTheFastSitesAndRecordsTheCutStraggler() {
        StragglerSite slow = new StragglerSite("c");
        var sites = List.of(new RoundEngineTest.TargetSite("a", 1, 10), new RoundEngineTest.TargetSite("b", 2, 10), slow);
        var strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(2, 2),
                new FitConfig(1, 8, 0.1, false, 0), 1.0, 0.5);
        List<SiteFailure> reported = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void siteFailed(SiteFailure f) {
                reported.add(f);
            }
        };
        RunResult run;
        try (InProcessSitePool pool = new InProcessSitePool(sites, 3)) {
            var cfg = EngineConfig.of(StoppingRule.rounds(2), 5).withRoundDeadline(LONG_DEADLINE);
            run = new RoundEngine(strategy, pool, cfg, listener).run(RoundEngineTest.zero());
        }
        for (RoundRecord r : run.rounds()) {
            assertEquals(List.of("a", "b", "c"), r.selected(), "k = 2 plus half again");
            assertTrue(r.completed());
            assertEquals(List.of("a", "b"), r.succeeded());
            SiteFailure cut = r.failures().getFirst();
            assertEquals("c", cut.siteId());
            assertEquals(SiteFailure.Kind.TIMEOUT, cut.kind());
            assertTrue(cut.reason().contains("over-selection"), cut.reason());
        }
        assertTrue(reported.stream().anyMatch(f -> f.siteId().equals("c") && f.reason().contains("over-selection")),
                "the listener hears of the cut");
    }
}
