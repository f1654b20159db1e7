package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.junit.jupiter.api.Test;

class RoundEngineTest {

    /** A site that pulls the model halfway to its own target, plus seeded noise; its loss is the distance left. */
    static class TargetSite implements SiteClient {
        final String id;
        final float target;
        final long examples;
        volatile RuntimeException failInRound;
        volatile int failRound = -1;
        volatile long sleepMillis;
        volatile boolean sendNaN;

        TargetSite(String id, float target, long examples) {
            this.id = id;
            this.target = target;
            this.examples = examples;
        }

        @Override
        public String siteId() {
            return id;
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            if (t.round() == failRound) throw failInRound;
            if (sleepMillis > 0) Thread.sleep(sleepMillis);
            float[] w = t.global().copyFlat();
            Random r = new Random(t.config().seed());
            for (int i = 0; i < w.length; i++) w[i] += 0.5f * (target - w[i]) + 0.01f * (float) r.nextGaussian();
            if (sendNaN) w[0] = Float.NaN;
            return new FitResult(id, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples, 1.0,
                    Map.of("loss", 1.0));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            double d = Math.abs(t.global().flat()[0] - target);
            return new EvalResult(id, t.taskId(), examples, Map.of("log_loss", d));
        }
    }

    static ModelParameters zero() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
    }

    static FederatedAveraging fedavg(int minSites) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(minSites),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    static List<TargetSite> sites() {
        return List.of(new TargetSite("a", 1, 10), new TargetSite("b", 2, 10), new TargetSite("c", 6, 20));
    }

    static RunResult run(List<TargetSite> sites, FederatedAveraging strategy, EngineConfig cfg, RunListener l) {
        try (InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            return new RoundEngine(strategy, pool, cfg, l).run(zero());
        }
    }

    /** FedAvg from {@code firstRound} after {@code earlier}, in an engine that keeps only the latest record. */
    static RunResult runKeepingLatest(List<TargetSite> sites, EngineConfig cfg, RunListener l, ModelParameters initial,
                                      int firstRound, Iterable<RoundRecord> earlier) {
        try (InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            return new RoundEngine(fedavg(1), pool, cfg, l, RoundHistory.LATEST).run(initial, firstRound, earlier);
        }
    }

    /** Two sites with the same target, so the loss soon stops improving. */
    static List<TargetSite> alike() {
        return List.of(new TargetSite("a", 2, 10), new TargetSite("b", 2, 10));
    }

    /** Up to 200 rounds, stopping once the loss has not improved by 1e-3 for 3 rounds. */
    static EngineConfig patienceOfThree() {
        return new EngineConfig(new StoppingRule(200, 3, 1e-3), Duration.ofMinutes(1), 1, "log_loss", 3, 1);
    }

    @Test
    void fedAvgConvergesToTheSampleWeightedMeanOfSiteTargets() {
        RunResult r = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(30), 1), null);
        // weighted mean of targets: (10*1 + 10*2 + 20*6) / 40 = 3.75
        assertEquals(3.75, r.finalModel().flat()[0], 0.05);
        assertEquals(30, r.rounds().size());
        assertEquals(RunResult.StopReason.ROUND_BUDGET, r.stopReason());
    }

    @Test
    void aRunKeepingOnlyTheLatestRecordCountsEveryRoundAndEndsOnTheSameModel() {
        List<RoundRecord> heard = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                heard.add(record);
            }
        };
        RunResult all = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(12), 3), null);
        RunResult latest = runKeepingLatest(sites(), EngineConfig.of(StoppingRule.rounds(12), 3), listener, zero(), 1,
                List.of());
        assertEquals(12, latest.roundsRun());
        assertEquals(List.of(12), latest.rounds().stream().map(RoundRecord::round).toList());
        assertEquals(12, heard.size(), "the listener still hears every round");
        assertArrayEquals(all.finalModel().flat(), latest.finalModel().flat());
        assertEquals(all.rounds().getLast().evalMetrics(), latest.rounds().getLast().evalMetrics());

        // resumed after round 12 of a 15-round budget: the earlier rounds count, only the last record stays
        RunResult resumed = runKeepingLatest(sites(), EngineConfig.of(StoppingRule.rounds(15), 3), null,
                latest.finalModel(), 13, heard);
        assertEquals(15, resumed.roundsRun());
        assertEquals(List.of(15), resumed.rounds().stream().map(RoundRecord::round).toList());
    }

    @Test
    void aResumedRunThatKeepsOnlyTheLatestStillStopsOnTheLossOfItsEarlierRounds() {
        RunResult whole = run(alike(), fedavg(1), patienceOfThree(), null);
        assertEquals(RunResult.StopReason.CONVERGED, whole.stopReason());
        int stoppedAt = whole.rounds().size();
        // resumed at the round it stopped at: that round converges, since the earlier rounds' losses count
        RunResult resumed = runKeepingLatest(alike(), patienceOfThree(), null, whole.finalModel(), stoppedAt,
                whole.rounds().subList(0, stoppedAt - 1));
        assertEquals(RunResult.StopReason.CONVERGED, resumed.stopReason());
        assertEquals(stoppedAt, resumed.roundsRun());
    }

    /** Rounds that may be iterated once only, as a caller reading them from a store page by page hands them over. */
    static Iterable<RoundRecord> once(List<RoundRecord> rounds) {
        boolean[] read = {false};
        return () -> {
            if (read[0]) {
                throw new AssertionError("the earlier rounds were iterated twice");
            }
            read[0] = true;
            return rounds.iterator();
        };
    }

    static RoundRecord recorded(int round, boolean completed) {
        return new RoundRecord(round, List.of("a", "b", "c"), completed ? List.of("a", "b", "c") : List.of(), List.of(),
                completed, Map.of(), Map.of(), Map.of(), 5);
    }

    @Test
    void earlierRoundsAreReadOnceAndAResumedRunCountsTheFailedRoundsThatEndedThem() {
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(4), 3); // three failed rounds in a row abandon a run
        List<TargetSite> failing = sites();
        failing.forEach(t -> {
            t.failRound = 4;
            t.failInRound = new IllegalStateException("disk full");
        });
        var e = assertThrows(RunAbortedException.class, () -> runKeepingLatest(failing, cfg, null, zero(), 4,
                once(List.of(recorded(1, true), recorded(2, false), recorded(3, false)))));
        assertTrue(e.getMessage().startsWith("run abandoned after 3 rounds in a row"), e.getMessage());
        assertTrue(e.getMessage().contains("the last round's failures: site '"), e.getMessage());
        assertTrue(e.getMessage().contains(" error: ") && e.getMessage().contains("disk full")
                && !e.getMessage().contains("SiteFailure["), e.getMessage());

        // the same failed round after a completed one is the first in a row: the run ends on its budget
        RunResult r = runKeepingLatest(failing, cfg, null, zero(), 4,
                once(List.of(recorded(1, false), recorded(2, false), recorded(3, true))));
        assertEquals(RunResult.StopReason.ROUND_BUDGET, r.stopReason());
        assertEquals(4, r.roundsRun());
        assertEquals(List.of(4), r.rounds().stream().map(RoundRecord::round).toList());
    }

    @Test
    void sameSeedGivesBitIdenticalFinalParameters() {
        RunResult a = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(10), 5), null);
        RunResult b = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(10), 5), null);
        RunResult c = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(10), 6), null);
        assertArrayEquals(a.finalModel().flat(), b.finalModel().flat());
        assertFalse(java.util.Arrays.equals(a.finalModel().flat(), c.finalModel().flat()));
    }

    @Test
    void siteFailingMidRoundIsRecordedAndTheRoundCompletesWithTheOthers() {
        List<TargetSite> s = sites();
        s.get(2).failRound = 2;
        s.get(2).failInRound = new IllegalStateException("disk full at site c");
        List<SiteFailure> seen = new ArrayList<>();
        RunResult r = run(s, fedavg(2), EngineConfig.of(StoppingRule.rounds(3), 1), new RunListener() {
            @Override
            public void siteFailed(SiteFailure f) {
                seen.add(f);
            }
        });
        RoundRecord round2 = r.rounds().get(1);
        assertTrue(round2.completed());
        assertEquals(List.of("a", "b"), round2.succeeded());
        assertEquals(1, round2.failures().size());
        SiteFailure f = round2.failures().getFirst();
        assertEquals("c", f.siteId());
        assertEquals(SiteFailure.Kind.ERROR, f.kind());
        assertTrue(f.reason().contains("disk full"));
        assertEquals(List.of(f), seen);
        assertEquals(List.of("a", "b", "c"), r.rounds().get(2).succeeded(), "site rejoins the next round");
    }

    @Test
    void siteThatMissesTheDeadlineIsCutAsTimeout() {
        List<TargetSite> s = sites();
        s.get(0).sleepMillis = 600_000; // until cut
        // long enough for b and c on a loaded machine (with two permits they train one after the other)
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 1).withRoundDeadline(Duration.ofSeconds(3));
        RunResult r = run(s, fedavg(2), cfg, null);
        RoundRecord rec = r.rounds().getFirst();
        assertTrue(rec.completed());
        assertEquals(List.of("b", "c"), rec.succeeded());
        assertEquals(SiteFailure.Kind.TIMEOUT, rec.failures().getFirst().kind());
        assertEquals("a", rec.failures().getFirst().siteId());
    }

    @Test
    void nanUpdateIsRejectedAndRecordedWhileTheRoundGoesOn() {
        List<TargetSite> s = sites();
        s.get(1).sendNaN = true;
        RunResult r = run(s, fedavg(2), EngineConfig.of(StoppingRule.rounds(1), 1), null);
        RoundRecord rec = r.rounds().getFirst();
        assertTrue(rec.completed());
        assertEquals(List.of("a", "c"), rec.succeeded());
        assertEquals(SiteFailure.Kind.REJECTED, rec.failures().getFirst().kind());
        assertTrue(rec.failures().getFirst().reason().contains("not finite"));
        assertEquals(-1, r.finalModel().firstNonFinite());
    }

    @Test
    void updatesRefusedLateWhenTheirGroupIsFoldedCountAgainstMinFitSitesAndReachTheListener() {
        List<TargetSite> s = sites();
        s.get(0).sendNaN = true;
        s.get(2).sendNaN = true;
        List<SiteFailure> seen = new ArrayList<>();
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 1);
        RunResult r = run(s, fedavg(2), cfg, new RunListener() {
            @Override
            public void siteFailed(SiteFailure f) {
                seen.add(f);
            }
        });
        RoundRecord rec = r.rounds().getFirst();
        // three sites, all held unread by the weighted mean until the round's intake closes
        assertFalse(rec.completed(), "one good update is below min_fit_sites 2");
        assertEquals(List.of("b"), rec.succeeded());
        assertEquals(java.util.Set.of("a", "c"), seen.stream().map(SiteFailure::siteId)
                .collect(java.util.stream.Collectors.toSet()));
        assertTrue(seen.stream().allMatch(f -> f.kind() == SiteFailure.Kind.REJECTED));
        assertArrayEquals(zero().flat(), r.finalModel().flat(), "an incomplete round keeps the model");
    }

    @Test
    void roundBelowMinFitSitesKeepsTheModelAndRepeatedFailureAbortsTheRun() {
        List<TargetSite> s = sites();
        AtomicInteger finished = new AtomicInteger();
        for (TargetSite t : s.subList(1, 3)) {
            t.failRound = 1;
            t.failInRound = new IllegalStateException("offline");
        }
        RunResult r = run(s, fedavg(2), EngineConfig.of(StoppingRule.rounds(2), 1), null);
        assertFalse(r.rounds().get(0).completed());
        assertTrue(r.rounds().get(1).completed());

        List<TargetSite> dead = sites();
        for (TargetSite t : dead.subList(1, 3)) t.sleepMillis = 0;
        dead.get(1).failRound = 1;
        dead.get(1).failInRound = new IllegalStateException("offline");
        var cfg = new EngineConfig(StoppingRule.rounds(5), Duration.ofMinutes(1), 1, "log_loss", 1, 1);
        var e = assertThrows(RunAbortedException.class, () -> run(dead, fedavg(3), cfg, new RunListener() {
            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                finished.incrementAndGet();
                assertArrayEquals(new float[3], global.flat(), "failed round must not move the model");
            }
        }));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertEquals(1, finished.get(), "the failed round is still reported before the run stops");
    }

    @Test
    void runStopsEarlyOnceTheEvaluationLossStopsImproving() {
        RunResult r = run(alike(), fedavg(1), patienceOfThree(), null);
        assertEquals(RunResult.StopReason.CONVERGED, r.stopReason());
        assertTrue(r.rounds().size() < 40, "stopped after " + r.rounds().size());
    }

    @Test
    void strategyCanStopTheRunBeforeARoundWithAReason() {
        var inner = fedavg(1);
        var stopping = new org.fedmed.core.strategy.Strategy() {
            public String name() { return "stopping"; }
            public List<FitTask> configureFit(org.fedmed.core.strategy.RoundContext c) { return inner.configureFit(c); }
            public org.fedmed.core.strategy.Aggregator newAggregator(org.fedmed.core.strategy.RoundContext c) { return inner.newAggregator(c); }
            public List<EvalTask> configureEvaluate(org.fedmed.core.strategy.RoundContext c) { return inner.configureEvaluate(c); }
            public Map<String, Double> aggregateEvaluate(int round, List<EvalResult> r) { return inner.aggregateEvaluate(round, r); }
            public int minFitSites() { return 1; }

            @Override
            public java.util.Optional<String> stopBefore(int round) {
                return round == 4 ? java.util.Optional.of("budget spent") : java.util.Optional.empty();
            }
        };
        RunResult r;
        try (InProcessSitePool pool = new InProcessSitePool(sites(), 2)) {
            r = new RoundEngine(stopping, pool, EngineConfig.of(StoppingRule.rounds(10), 1), null).run(zero());
        }
        assertEquals(3, r.rounds().size());
        assertEquals(RunResult.StopReason.STRATEGY, r.stopReason());
        assertEquals("budget spent", r.stopDetail());
    }

    @Test
    void evaluationReportsPerSiteAndExampleWeightedMetrics() {
        RunResult r = run(sites(), fedavg(1), EngineConfig.of(StoppingRule.rounds(1), 1), null);
        RoundRecord rec = r.rounds().getFirst();
        assertEquals(3, rec.siteEvalMetrics().size());
        double w = r.finalModel().flat()[0];
        double expected = (10 * Math.abs(w - 1) + 10 * Math.abs(w - 2) + 20 * Math.abs(w - 6)) / 40;
        assertEquals(expected, rec.evalMetrics().get("log_loss"), 1e-6);
    }
}
