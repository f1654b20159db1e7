package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.GLOBAL;
import static org.fedmed.core.strategy.robust.RobustFixtures.fiveAroundTheGlobal;
import static org.fedmed.core.strategy.robust.RobustFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.FitResult;
import org.junit.jupiter.api.Test;

class KrumAggregatorTest {

    static KrumAggregator fed(KrumAggregator agg, List<FitResult> updates) throws Exception {
        for (FitResult u : updates) {
            agg.accept(u);
        }
        return agg;
    }

    @Test
    void krumPicksTheUpdateClosestToItsNMinusFMinusTwoNearestNeighbours() throws Exception {
        // f = 1, n = 5: scores over the 2 nearest: a 1+1=2, b 1+2=3, c 1+2=3, d 4+5=9, e 264+281=545
        KrumAggregator agg = fed(new KrumAggregator(GLOBAL, 1, 1, 1), fiveAroundTheGlobal());
        assertArrayEquals(new float[]{1, 2, 3}, agg.result().flat());
        assertEquals(List.of("a"), agg.chosenSites());
    }

    @Test
    void aChosenUpdateThatArrivedAsADeltaIsReturnedAsFullWeights() throws Exception {
        // d = (1, 2, 5) and e = (11, 12, 13) arrive as deltas, f = (1, 2, 6) as weights; f = 0, n = 3: one neighbour
        KrumAggregator agg = new KrumAggregator(GLOBAL, 1, 0, 1);
        List<FitResult> five = fiveAroundTheGlobal();
        agg.accept(five.get(3));
        agg.accept(five.get(4));
        agg.accept(weights("f", 1, 2, 6));
        // squared distances: d-f 1, d-e 264, e-f 100+100+49 = 249; scores d 1, f 1, e 249; the tie goes to d
        assertArrayEquals(new float[]{1, 2, 5}, agg.result().flat());
        assertEquals(List.of("d"), agg.chosenSites());
    }

    @Test
    void tiedScoresGoToTheLowestSiteIdWhateverTheArrivalOrder() throws Exception {
        List<FitResult> five = fiveAroundTheGlobal();
        // b, c, d, e with f = 0: two nearest each: b 2+5=7, c 2+5=7, d 5+5=10, e 264+281=545
        KrumAggregator agg = fed(new KrumAggregator(GLOBAL, 1, 0, 1),
                List.of(five.get(4), five.get(2), five.get(3), five.get(1)));
        assertArrayEquals(new float[]{2, 2, 3}, agg.result().flat());
        assertEquals(List.of("b"), agg.chosenSites());
    }

    @Test
    void multiKrumChoosesByKrumRepeatedlyAndAveragesTheChosenUnweighted() throws Exception {
        List<FitResult> five = fiveAroundTheGlobal();
        // b claims a thousand times the others' examples: it must not weigh the mean
        FitResult heavyB = RobustFixtures.claiming("b", 10_000, 2, 2, 3);
        KrumAggregator agg = fed(new KrumAggregator(GLOBAL, 1, 1, 3),
                List.of(five.get(0), heavyB, five.get(2), five.get(3), five.get(4)));
        // pick 1 (2 neighbours): a (2). pick 2 among b c d e (1 neighbour): b 2, c 2, d 5, e 264: b by site id.
        // pick 3 among c d e (max(1, 3 - 1 - 2) = 1 neighbour): c 5, d 5, e 264: c by site id.
        // mean of (1, 2, 3), (2, 2, 3), (1, 3, 3)
        assertArrayEquals(new float[]{4f / 3, 7f / 3, 3}, agg.result().flat());
        assertEquals(List.of("a", "b", "c"), agg.chosenSites());
    }

    @Test
    void multiKrumOfOneIsKrum() throws Exception {
        KrumAggregator one = fed(new KrumAggregator(GLOBAL, 1, 1, 1), fiveAroundTheGlobal());
        var krum = new AggregationRule.Krum(1).newAggregator(GLOBAL, 1);
        for (FitResult u : fiveAroundTheGlobal()) {
            krum.accept(u);
        }
        assertEquals(krum.result(), one.result());
    }

    @Test
    void krumRefusesARoundOfAtMostTwoFPlusTwoUpdatesNamingNAndF() throws Exception {
        List<FitResult> four = fiveAroundTheGlobal().subList(0, 4);
        KrumAggregator agg = fed(new KrumAggregator(GLOBAL, 1, 1, 1), four);
        IllegalStateException e = assertThrows(IllegalStateException.class, agg::result);
        assertTrue(e.getMessage().contains("n = 4") && e.getMessage().contains("f = 1")
                && e.getMessage().contains("2f + 2 = 4"), e.getMessage());
        // one more update is enough
        assertArrayEquals(new float[]{1, 2, 3},
                fed(new KrumAggregator(GLOBAL, 1, 1, 1), fiveAroundTheGlobal()).result().flat());
    }

    @Test
    void multiKrumRefusesToSelectMoreThanNMinusF() throws Exception {
        KrumAggregator agg = fed(new KrumAggregator(GLOBAL, 1, 1, 5), fiveAroundTheGlobal());
        IllegalStateException e = assertThrows(IllegalStateException.class, agg::result);
        assertTrue(e.getMessage().contains("m = 5") && e.getMessage().contains("n - f = 4"), e.getMessage());
    }

    @Test
    void badByzantineOrSelectedCountsAreRefusedNamingTheirKey() {
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new KrumAggregator(GLOBAL, 1, -1, 1));
        assertTrue(f.getMessage().contains("aggregation.byzantine"), f.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> new KrumAggregator(GLOBAL, 1, 0, 0));
        assertTrue(m.getMessage().contains("aggregation.selected"), m.getMessage());
    }
}
