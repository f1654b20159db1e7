package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.core.strategy.WeightCaps;
import org.junit.jupiter.api.Test;

/** The engine's intake: claimed counts bounded, tiny cohorts refused, and a round's deadline covering evaluation. */
class BoundedInfluenceEngineTest {

    /** Trains like a target site but claims whatever count it is told to, from a given round on. */
    static final class LyingSite extends RoundEngineTest.TargetSite {
        final long honest;
        final long claimed;
        final int fromRound;

        LyingSite(String id, float target, long honest, long claimed, int fromRound) {
            super(id, target, honest);
            this.honest = honest;
            this.claimed = claimed;
            this.fromRound = fromRound;
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            FitResult r = super.fit(t);
            long n = t.round() >= fromRound ? claimed : honest;
            return new FitResult(r.siteId(), r.taskId(), r.parameters(), r.isDelta(), n, r.quality(), r.trainMetrics());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            long n = t.round() >= fromRound ? claimed : honest;
            return new EvalResult(id, t.taskId(), n, Map.of("log_loss", 0.0));
        }
    }

    private static EngineConfig bounded(int rounds) {
        return EngineConfig.of(StoppingRule.rounds(rounds), 1).withInfluence(new InfluenceLimits(0.5, 2.0)).withMinRows(5);
    }

    private static List<RoundEngineTest.TargetSite> withLiar(RoundEngineTest.TargetSite liar) {
        List<RoundEngineTest.TargetSite> s = new ArrayList<>(RoundEngineTest.sites());
        s.add(liar);
        return s;
    }

    @Test
    void aSiteClaimingABillionExamplesFromTheStartHoldsAtMostHalfTheWeight() {
        List<WeightCaps.Capped> caps = new CopyOnWriteArrayList<>();
        RunResult r = RoundEngineTest.run(withLiar(new LyingSite("liar", 100, 10, 1_000_000_000, 1)),
                RoundEngineTest.fedavg(1), bounded(40), new RunListener() {
                    @Override
                    public void weightCapped(int round, WeightCaps.Capped capped) {
                        caps.add(capped);
                    }
                });
        // honest weighted mean 3.75 on 40 examples; the liar capped at 40 more with target 100: (3.75 + 100) / 2
        assertEquals((3.75 + 100) / 2, r.finalModel().flat()[0], 0.1);
        assertEquals(40, caps.size());
        assertTrue(caps.stream().allMatch(c -> c.siteId().equals("liar") && c.cappedWeight() == 40));
        // the evaluation mean caps the liar too; its claimed counts are on record
        assertEquals(1_000_000_000L, r.rounds().getLast().fitClaims().get("liar"));
        assertEquals(1_000_000_000L, r.rounds().getLast().evalClaims().get("liar"));
    }

    @Test
    void withoutTheBoundTheSameLiarTakesTheModelOver() {
        RunResult r = RoundEngineTest.run(withLiar(new LyingSite("liar", 100, 10, 1_000_000_000, 1)),
                RoundEngineTest.fedavg(1), EngineConfig.of(StoppingRule.rounds(40), 1), null);
        assertEquals(100, r.finalModel().flat()[0], 0.1);
    }

    @Test
    void aSiteRaisingItsCountMidRunIsRejectedAndOnRecord() {
        List<SiteFailure> failures = new CopyOnWriteArrayList<>();
        RunResult r = RoundEngineTest.run(withLiar(new LyingSite("liar", 100, 10, 1_000_000_000, 3)),
                RoundEngineTest.fedavg(1), bounded(6), new RunListener() {
                    @Override
                    public void siteFailed(SiteFailure f) {
                        failures.add(f);
                    }
                });
        RoundRecord round4 = r.rounds().get(3);
        assertFalse(round4.succeeded().contains("liar"));
        assertFalse(round4.siteEvalMetrics().containsKey("liar"));
        assertEquals(1_000_000_000L, round4.fitClaims().get("liar"));
        SiteFailure f = failures.stream().filter(x -> x.round() == 4 && x.siteId().equals("liar")).findFirst().orElseThrow();
        assertEquals(SiteFailure.Kind.REJECTED, f.kind());
        assertTrue(f.reason().contains("more than max_count_growth 2.0 times the 10 it committed to in round 1"), f.reason());
        // rounds 3.. train without the liar: the model heads back to the honest mean
        assertTrue(r.rounds().get(1).succeeded().contains("liar"));
    }

    @Test
    void aSiteBelowMinRowsIsRefusedAndNoneOfItsMetricsIsKept() {
        List<RoundEngineTest.TargetSite> s = withLiar(new RoundEngineTest.TargetSite("tiny", 50, 3));
        RunResult r = RoundEngineTest.run(s, RoundEngineTest.fedavg(1), bounded(3), null);
        for (RoundRecord rec : r.rounds()) {
            assertFalse(rec.succeeded().contains("tiny"));
            assertFalse(rec.siteEvalMetrics().containsKey("tiny"));
            assertTrue(rec.failures().stream().anyMatch(f -> f.siteId().equals("tiny")
                    && f.reason().contains("fewer than min_rows 5")));
        }
        // three halfway steps towards the honest mean 3.75: 3.75 * (1 - 0.5^3); site tiny (target 50) is out
        assertEquals(3.75 * (1 - 0.125), r.finalModel().flat()[0], 0.05);
    }

    @Test
    void aHungSiteIsNotAskedToEvaluateAndTheRoundEndsWithinDeadlinePlusGrace() {
        List<RoundEngineTest.TargetSite> s = new ArrayList<>(RoundEngineTest.sites());
        RoundEngineTest.TargetSite hung = new RoundEngineTest.TargetSite("hung", 0, 10) {
            @Override
            public EvalResult evaluate(EvalTask t) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.evaluate(t);
            }
        };
        hung.sleepMillis = 60_000;
        s.add(hung);
        // The hung fit uses the whole deadline, so the others' evaluation gets only the grace, a tenth of it: 500 ms,
        // enough for three evaluations on a loaded machine.
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 1).withRoundDeadline(Duration.ofSeconds(5));
        long start = System.nanoTime();
        RunResult r;
        try (InProcessSitePool pool = new InProcessSitePool(s, 4)) {
            r = new RoundEngine(RoundEngineTest.fedavg(1), pool, cfg, null).run(RoundEngineTest.zero());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        RoundRecord rec = r.rounds().getFirst();
        assertEquals(List.of(SiteFailure.Kind.TIMEOUT), rec.failures().stream().map(SiteFailure::kind).toList());
        assertEquals(3, rec.siteEvalMetrics().size());
        assertFalse(rec.siteEvalMetrics().containsKey("hung"));
        assertEquals(Duration.ofMillis(500), cfg.evaluationGrace());
        assertTrue(rec.durationMillis() < 5000 + 500 + 3000, "round took " + rec.durationMillis() + " ms");
        assertTrue(millis < 30_000, "run took " + millis + " ms, so the hung site's 60 s were waited for");
    }
}
