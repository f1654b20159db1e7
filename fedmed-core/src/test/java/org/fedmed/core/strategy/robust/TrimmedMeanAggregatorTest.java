package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.params;
import static org.fedmed.core.strategy.robust.RobustFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fedmed.core.strategy.Aggregator;
import org.junit.jupiter.api.Test;

class TrimmedMeanAggregatorTest {

    static Aggregator fiveSites(double beta) throws Exception {
        Aggregator agg = new AggregationRule.TrimmedMean(beta).newAggregator(params(0, 0, 0), 1);
        agg.accept(weights("a", 1, 10, -3));
        agg.accept(weights("b", 2, 20, -1));
        agg.accept(weights("c", 3, 30, 0));
        agg.accept(weights("d", 4, -40, 2));
        agg.accept(weights("e", 100, 50, 4));
        return agg;
    }

    @Test
    void aFifthTrimmedFromEachEndOfFiveDropsTheLargestAndSmallestOfEachParameter() throws Exception {
        // k = floor(0.2 * 5) = 1: means of (2 3 4), (10 20 30), (-1 0 2)
        assertArrayEquals(new float[]{3, 20, 1f / 3}, fiveSites(0.2).result().flat());
    }

    @Test
    void theTrimmedCountRoundsDownSoATenthOfFiveTrimsNothing() throws Exception {
        // k = floor(0.1 * 5) = 0: the plain unweighted mean (110, 70, 2) / 5
        assertArrayEquals(new float[]{22, 14, 0.4f}, fiveSites(0.1).result().flat());
        assertEquals(0, new AggregationRule.TrimmedMean(0.1).trimmed(5));
    }

    @Test
    void aDecimalFractionTrimsWhatItSaysDespiteBinaryRounding() {
        // 0.29 * 100 is 28.999999999999996 in double
        assertEquals(29, new AggregationRule.TrimmedMean(0.29).trimmed(100));
        assertEquals(2, new AggregationRule.TrimmedMean(0.49).trimmed(5));
        assertEquals(4, new AggregationRule.TrimmedMean(0.49).trimmed(9));
    }

    @Test
    void theLargestTrimOfFiveLeavesTheMedian() throws Exception {
        // k = floor(0.45 * 5) = 2: only the middle value of each parameter stays
        assertArrayEquals(new float[]{3, 20, 0}, fiveSites(0.45).result().flat());
    }

    @Test
    void claimedExampleCountsDoNotWeighTheMean() throws Exception {
        Aggregator agg = new AggregationRule.TrimmedMean(0).newAggregator(params(0), 1);
        agg.accept(RobustFixtures.claiming("a", 1_000_000, 9));
        agg.accept(RobustFixtures.claiming("b", 1, 0));
        agg.accept(RobustFixtures.claiming("c", 1, 3));
        assertArrayEquals(new float[]{4}, agg.result().flat());
    }
}
