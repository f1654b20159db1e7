package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.delta;
import static org.fedmed.core.strategy.robust.RobustFixtures.params;
import static org.fedmed.core.strategy.robust.RobustFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fedmed.core.strategy.Aggregator;
import org.junit.jupiter.api.Test;

class CoordinateMedianAggregatorTest {

    @Test
    void eachParameterIsTheMedianOverSitesAndAnOutlierInOneCoordinateDoesNotMoveIt() throws Exception {
        Aggregator agg = new CoordinateMedianAggregator(params(0, 0, 0), 1);
        agg.accept(weights("a", 1, 10, -3));
        agg.accept(weights("b", 2, 20, -1));
        agg.accept(weights("c", 3, 30, 0));
        agg.accept(weights("d", 4, -40, 2));
        agg.accept(weights("e", 100, 50, 4));
        // sorted columns: (1 2 3 4 100), (-40 10 20 30 50), (-3 -1 0 2 4)
        assertArrayEquals(new float[]{3, 20, 0}, agg.result().flat());
        assertEquals(5, agg.accepted());
    }

    @Test
    void anEvenCountTakesTheMeanOfTheTwoMiddleValues() throws Exception {
        Aggregator agg = new CoordinateMedianAggregator(params(0, 0, 0), 1);
        agg.accept(weights("a", 1, 10, -3));
        agg.accept(weights("b", 2, 20, -1));
        agg.accept(weights("c", 3, 30, 0));
        agg.accept(weights("d", 4, -40, 2));
        // sorted columns: (1 2 | 3 4), (-40 10 | 20 30), (-3 -1 | 0 2)
        assertArrayEquals(new float[]{2.5f, 15, -0.5f}, agg.result().flat());
    }

    @Test
    void claimedExampleCountsDoNotWeighTheMedian() throws Exception {
        Aggregator agg = new CoordinateMedianAggregator(params(0), 1);
        agg.accept(RobustFixtures.claiming("a", 1_000_000, 9));
        agg.accept(RobustFixtures.claiming("b", 1, 1));
        agg.accept(RobustFixtures.claiming("c", 1, 2));
        assertArrayEquals(new float[]{2}, agg.result().flat());
    }

    @Test
    void deltasAreTakenAsTheGlobalModelPlusTheDelta() throws Exception {
        Aggregator agg = new CoordinateMedianAggregator(params(10, 20), 1);
        agg.accept(delta("a", 1, -1));      // (11, 19)
        agg.accept(weights("b", 12, 30));
        agg.accept(delta("c", -5, 5));      // (5, 25)
        assertArrayEquals(new float[]{11, 25}, agg.result().flat());
    }

    @Test
    void aRoundWithoutUpdatesAndASecondResultAreRefused() throws Exception {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> new CoordinateMedianAggregator(params(0), 1).result());
        assertTrue(none.getMessage().contains("no update"), none.getMessage());
        Aggregator agg = new CoordinateMedianAggregator(params(0), 1);
        agg.accept(weights("a", 1));
        agg.result();
        assertThrows(IllegalStateException.class, agg::result);
        assertThrows(IllegalStateException.class, () -> agg.accept(weights("b", 2)));
    }
}
