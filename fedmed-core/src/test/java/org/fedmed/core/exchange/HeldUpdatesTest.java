package org.fedmed.core.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.UpdateRelease;
import org.junit.jupiter.api.Test;

/** A site keeps one participant per held fit, answers only for those, and forgets each once it is done. */
class HeldUpdatesTest {

    static final ModelParameters GLOBAL = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[2])));

    static FitTask task(int round) {
        return new FitTask(round, "a", GLOBAL, new FitConfig(1, 8, 0.1, true, 0)).withRelease(UpdateRelease.SECURE_SUM);
    }

    static FitResult update(FitTask t) {
        return new FitResult("a", t.taskId(), ModelParameters.ofFlat(GLOBAL.layout(), new float[]{1, 2}), true, 7, 0.5,
                Map.of("loss", 0.3));
    }

    /** Answers each stage with the stage's ordinal; finished after UNMASK. */
    static final class Echo implements ExchangeParticipant {
        boolean done;

        @Override
        public byte[] answer(ExchangeStage stage, byte[] body) {
            done = stage == ExchangeStage.UNMASK;
            return new byte[]{(byte) stage.ordinal()};
        }

        @Override
        public boolean finished() {
            return done;
        }
    }

    @Test
    void aHeldResultCarriesTheCountsAndMetricsButNotTheUpdate() {
        HeldUpdates held = new HeldUpdates("a", (t, u) -> new Echo());
        FitTask t = task(1);
        FitResult r = held.hold(t, update(t));
        assertSame(GLOBAL, r.parameters());
        assertEquals(7, r.numExamples());
        assertEquals(0.5, r.quality());
        assertEquals(Map.of("loss", 0.3), r.trainMetrics());
    }

    @Test
    void stagesAreAnsweredForAHeldFitAndItIsForgottenOnceFinished() throws Exception {
        HeldUpdates held = new HeldUpdates("a", (t, u) -> new Echo());
        FitTask t = task(1);
        held.hold(t, update(t));
        assertArrayEquals(new byte[]{0}, held.answer(t.taskId(), ExchangeStage.ADVERTISE_KEYS, new byte[0]));
        assertEquals(1, held.size());
        held.answer(t.taskId(), ExchangeStage.UNMASK, new byte[0]);
        assertEquals(0, held.size());
        var e = assertThrows(ExchangeRefusedException.class,
                () -> held.answer(t.taskId(), ExchangeStage.UNMASK, new byte[0]));
        assertEquals("site 'a' keeps no update for task 'r1-fit-a' (stage UNMASK); it answers only the exchange of a fit"
                + " it kept its update for", e.getMessage());
    }

    @Test
    void atMostCapacityParticipantsAreKeptTheOldestDroppedFirst() {
        HeldUpdates held = new HeldUpdates("a", (t, u) -> new Echo());
        for (int r = 1; r <= HeldUpdates.CAPACITY + 2; r++) {
            FitTask t = task(r);
            held.hold(t, update(t));
        }
        assertEquals(HeldUpdates.CAPACITY, held.size());
        assertThrows(ExchangeRefusedException.class, () -> held.answer("r1-fit-a", ExchangeStage.ADVERTISE_KEYS,
                new byte[0]));
    }

    @Test
    void aSiteWithoutParticipantsRefusesToHoldAnUpdate() {
        HeldUpdates held = new HeldUpdates("a", ExchangeParticipants.NONE);
        FitTask t = task(1);
        var e = assertThrows(IllegalStateException.class, () -> held.hold(t, update(t)));
        assertTrue(e.getMessage().contains("without a secure-aggregation client"), e.getMessage());
    }
}
