package org.fedmed.transport.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultBufferBudgetTest {

    final List<String> granted = new ArrayList<>();
    final ResultBufferBudget budget = new ResultBufferBudget(100, Runnable::run);

    @Test
    void reservationsWaitFirstComeFirstServedUntilBytesAreGivenBack() {
        assertTrue(budget.reserve(60, () -> granted.add("first")));
        assertFalse(budget.reserve(50, () -> granted.add("second")));
        assertFalse(budget.reserve(10, () -> granted.add("third")), "no overtaking a waiting reservation");
        assertEquals(2, budget.waiting());
        budget.release(60);
        assertEquals(List.of("second", "third"), granted);
        assertEquals(60, budget.inUse());
    }

    @Test
    void reservationLargerThanTheWholeBudgetIsGrantedWhenNothingElseIsHeld() {
        assertTrue(budget.reserve(10, () -> { }));
        assertFalse(budget.reserve(500, () -> granted.add("big")));
        budget.release(10);
        assertEquals(List.of("big"), granted);
        assertEquals(500, budget.inUse());
    }

    @Test
    void releasingMoreThanWasReservedIsABug() {
        budget.reserve(10, () -> { });
        assertThrows(IllegalStateException.class, () -> budget.release(20));
    }
}
