package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery loop both pools share, driven directly: the reporting order, the deadline, the over-selection cut,
 * an outcome for a task already decided, and a sink that throws.
 */
@Timeout(30)
class DeliveryLoopTest {

    static final Duration LONG = Duration.ofSeconds(30);

    static List<Task> tasks(String... sites) {
        List<Task> out = new ArrayList<>();
        for (String s : sites) {
            out.add(new EvalTask(1, s, RoundEngineTest.zero()));
        }
        return out;
    }

    static EvalResult result(String site) {
        return new EvalResult(site, "r1-eval-" + site, 10, Map.of());
    }

    /** Records the sink's calls as "ok:site" and "KIND:site:reason", and the loop's cuts and abandons. */
    static class Recorder implements OutcomeSink<EvalResult>, DeliveryLoop.Tasks {
        final List<String> reported = new ArrayList<>();
        final List<String> control = new ArrayList<>();
        boolean cutDecides = true;

        @Override
        public void success(EvalResult r) {
            reported.add("ok:" + r.siteId());
        }

        @Override
        public void failure(SiteFailure f) {
            reported.add(f.kind() + ":" + f.siteId() + ":" + f.reason());
        }

        @Override
        public boolean cut(int index, DeliveryLoop.Cut why, String reason) {
            control.add("cut " + index + " " + why);
            return cutDecides;
        }

        @Override
        public void abandon(int index) {
            control.add("abandon " + index);
        }
    }

    @Test
    void taskOrderReportsInTaskOrderWhateverTheArrivalOrder() {
        List<Task> t = tasks("a", "b", "c");
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, t);
        loop.delivered(2, result("c"), () -> { });
        loop.failed(1, loop.failure(1, SiteFailure.Kind.ERROR, "disk full"));
        loop.delivered(0, result("a"), () -> { });
        Recorder r = new Recorder();
        loop.run(System.nanoTime(), LONG, 3, DeliveryOrder.TASK_ORDER, r, r);
        assertEquals(List.of("ok:a", "ERROR:b:disk full", "ok:c"), r.reported);
        assertEquals(List.of(), r.control);
    }

    @Test
    void arrivalOrderReportsAsTheyArrive() {
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, tasks("a", "b", "c"));
        loop.delivered(2, result("c"), () -> { });
        loop.delivered(0, result("a"), () -> { });
        loop.delivered(1, result("b"), () -> { });
        Recorder r = new Recorder();
        loop.run(System.nanoTime(), LONG, 3, DeliveryOrder.ARRIVAL, r, r);
        assertEquals(List.of("ok:c", "ok:a", "ok:b"), r.reported);
    }

    @Test
    void atTheDeadlineTheOpenTasksAreCutAsTimeoutsAndALateResultIsDroppedAndReleased() {
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, tasks("a", "b"));
        loop.delivered(1, result("b"), () -> { });
        Recorder r = new Recorder();
        loop.run(System.nanoTime(), Duration.ofMillis(50), 2, DeliveryOrder.TASK_ORDER, r, r);
        assertEquals(List.of("TIMEOUT:a:no answer within the round deadline of 50 ms", "ok:b"), r.reported);
        assertEquals(List.of("cut 0 DEADLINE"), r.control);
    }

    @Test
    void enoughResultsCutTheRestAsOverSelectionInTaskOrder() {
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, tasks("a", "b", "c"));
        loop.delivered(2, result("c"), () -> { });
        loop.delivered(1, result("b"), () -> { });
        AtomicInteger released = new AtomicInteger();
        loop.delivered(0, result("a"), released::incrementAndGet); // arrives after the cut: dropped
        Recorder r = new Recorder();
        loop.run(System.nanoTime(), LONG, 2, DeliveryOrder.TASK_ORDER, r, r);
        assertEquals(List.of("TIMEOUT:a:" + OverSelection.cutReason(2), "ok:b", "ok:c"), r.reported);
        assertEquals(List.of("cut 0 ENOUGH"), r.control);
        assertEquals(0, released.get(), "the loop returned before the dropped result was taken");
    }

    @Test
    void aTaskTheCutCannotDecideIsWaitedForAndItsOutcomeReported() throws Exception {
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, tasks("a", "b", "c"));
        loop.delivered(0, result("a"), () -> { });
        Recorder r = new Recorder();
        r.cutDecides = false; // b and c were decided elsewhere, their outcomes on the way
        Thread late = Thread.ofVirtual().start(() -> {
            loop.delivered(1, result("b"), () -> { });
            loop.failed(2, loop.failure(2, SiteFailure.Kind.REJECTED, "norm too large"));
        });
        loop.run(System.nanoTime(), LONG, 1, DeliveryOrder.ARRIVAL, r, r);
        late.join();
        assertEquals(List.of("ok:a", "ok:b", "REJECTED:c:norm too large"), r.reported);
        assertEquals(List.of("cut 1 ENOUGH", "cut 2 ENOUGH"), r.control);
    }

    @Test
    void aSinkThatThrowsAbandonsTheOpenTasksAndReleasesWhatIsParked() {
        DeliveryLoop<EvalResult> loop = new DeliveryLoop<>(EvalResult.class, tasks("a", "b", "c"));
        AtomicInteger released = new AtomicInteger();
        loop.delivered(2, result("c"), released::incrementAndGet);
        loop.delivered(0, result("a"), released::incrementAndGet);
        Recorder r = new Recorder() {
            @Override
            public void success(EvalResult result) {
                throw new IllegalStateException("aggregator broke on " + result.siteId());
            }
        };
        var e = assertThrows(IllegalStateException.class,
                () -> loop.run(System.nanoTime(), LONG, 3, DeliveryOrder.TASK_ORDER, r, r));
        assertEquals("aggregator broke on a", e.getMessage());
        assertEquals(List.of("abandon 1"), r.control);
        assertEquals(2, released.get(), "the result the sink threw on, and the parked one");
    }
}
