package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.strategy.StrategyState;
import org.junit.jupiter.api.Test;

/** The dotted-name rule, and that auxiliary vectors and strategy state both keep to it. */
class DottedNameTest {

    @Test
    void twoOrMoreDottedLowerCaseWordsStartingWithALetterAreNames() {
        for (String ok : List.of("scaffold.c", "server_optimizer.m", "dp.accountant", "a.b.c", "x1.2_y")) {
            assertTrue(DottedName.isValid(ok), ok);
            assertTrue(AuxiliaryVectors.isName(ok), ok);
        }
        for (String bad : java.util.Arrays.asList(null, "", "scaffold", "Scaffold.c", "1a.b", "a..b", "a.b.", ".a.b",
                "a.B", "a-b.c", "a.b c")) {
            assertFalse(DottedName.isValid(bad), String.valueOf(bad));
            assertFalse(AuxiliaryVectors.isName(bad), String.valueOf(bad));
        }
    }

    @Test
    void strategyStateRefusesANameOutsideTheRule() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new StrategyState(java.util.Map.of(), java.util.Map.of("optimizer", "1")));
        new StrategyState(java.util.Map.of(), java.util.Map.of("server_optimizer.t", "1")); // accepted
    }
}
