package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.junit.jupiter.api.Test;

/** {@link RoundEngine#requestStop} ends a run between rounds or in the middle of one, and says which round it reached. */
class RoundEngineStopTest {

    /** A site that takes a minute to train in one round, and says when it has started that round. */
    static final class SlowInOneRound extends RoundEngineTest.TargetSite {
        final int slowRound;
        final CountDownLatch started = new CountDownLatch(1);

        SlowInOneRound(String id, int slowRound) {
            super(id, 3, 10);
            this.slowRound = slowRound;
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            if (t.round() == slowRound) {
                started.countDown();
                Thread.sleep(60_000);
            }
            return super.fit(t);
        }
    }

    /** Records which rounds the listener was handed and whether the run was reported finished. */
    static final class Seen implements RunListener {
        final List<Integer> started = new CopyOnWriteArrayList<>();
        final List<Integer> finished = new CopyOnWriteArrayList<>();
        volatile RunResult result;

        @Override
        public void roundStarted(int round, int totalRounds) {
            started.add(round);
        }

        @Override
        public void roundFinished(RoundRecord record, ModelParameters global) {
            finished.add(record.round());
        }

        @Override
        public void runFinished(RunResult r) {
            result = r;
        }
    }

    @Test
    void stopWhileARoundWaitsForASiteAbandonsThatRoundPromptly() throws Exception {
        SlowInOneRound slow = new SlowInOneRound("c", 3);
        List<RoundEngineTest.TargetSite> sites = List.of(new RoundEngineTest.TargetSite("a", 1, 10),
                new RoundEngineTest.TargetSite("b", 2, 10), slow);
        Seen seen = new Seen();
        try (InProcessSitePool pool = new InProcessSitePool(sites, 3)) {
            RoundEngine engine = new RoundEngine(RoundEngineTest.fedavg(1), pool,
                    EngineConfig.of(StoppingRule.rounds(10), 1), seen);
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    if (slow.started.await(60, TimeUnit.SECONDS)) {
                        engine.requestStop("SIGTERM");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            RunStoppedException e = assertThrows(RunStoppedException.class, () -> engine.run(RoundEngineTest.zero()));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            stopper.join();
            assertEquals(2, e.lastFinishedRound());
            assertEquals("SIGTERM during round 3, which was abandoned", e.getMessage());
            assertEquals(List.of(1, 2), seen.finished, "round 3 never reaches the listener");
            assertEquals(List.of(1, 2, 3), seen.started);
            assertNull(seen.result, "a stopped run is not reported as finished");
            assertTrue(seconds < 30, "the wait was cut, not sat out (the slow site sleeps 60 s): " + seconds + " s");
            assertFalse(Thread.currentThread().isInterrupted(), "the engine's interrupt does not leak to the caller");
        }
    }

    @Test
    void stopBetweenRoundsLetsTheFinishedRoundStandAndRunsNoOther() {
        Seen seen = new Seen();
        AtomicReference<RoundEngine> engine = new AtomicReference<>();
        RunListener stopAfterRound2 = new RunListener() {
            @Override
            public void roundStarted(int round, int totalRounds) {
                seen.roundStarted(round, totalRounds);
            }

            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                seen.roundFinished(record, global);
                if (record.round() == 2) {
                    engine.get().requestStop("operator");
                    engine.get().requestStop("a second signal");
                }
            }
        };
        try (InProcessSitePool pool = new InProcessSitePool(RoundEngineTest.sites(), 2)) {
            engine.set(new RoundEngine(RoundEngineTest.fedavg(1), pool, EngineConfig.of(StoppingRule.rounds(10), 1),
                    stopAfterRound2));
            RunStoppedException e = assertThrows(RunStoppedException.class,
                    () -> engine.get().run(RoundEngineTest.zero()));
            assertEquals(2, e.lastFinishedRound());
            assertEquals("operator before round 3", e.getMessage(), "the first reason is kept");
            assertEquals(List.of(1, 2), seen.started);
            assertEquals(List.of(1, 2), seen.finished);
        }
    }

    @Test
    void resumedRunStoppedBeforeItsFirstRoundReportsTheRoundItResumedAfter() {
        try (InProcessSitePool pool = new InProcessSitePool(RoundEngineTest.sites(), 2)) {
            RoundEngine engine = new RoundEngine(RoundEngineTest.fedavg(1), pool,
                    EngineConfig.of(StoppingRule.rounds(10), 1), null);
            engine.requestStop("SIGINT");
            RunStoppedException e = assertThrows(RunStoppedException.class,
                    () -> engine.run(RoundEngineTest.zero(), 5, List.of()));
            assertEquals(4, e.lastFinishedRound());
            assertEquals("SIGINT before round 5", e.getMessage());
        }
    }
}
