package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.GLOBAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AggregationRuleTest {

    static void refusedNaming(String key, String value, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void eachRuleRefusesABadFieldNamingItsConfigKeyAndValue() {
        refusedNaming("aggregation.trim", "0.5", () -> new AggregationRule.TrimmedMean(0.5));
        refusedNaming("aggregation.trim", "-0.1", () -> new AggregationRule.TrimmedMean(-0.1));
        refusedNaming("aggregation.trim", "NaN", () -> new AggregationRule.TrimmedMean(Double.NaN));
        refusedNaming("aggregation.byzantine", "-1", () -> new AggregationRule.Krum(-1));
        refusedNaming("aggregation.byzantine", "-2", () -> new AggregationRule.MultiKrum(-2, 3));
        refusedNaming("aggregation.selected", "0", () -> new AggregationRule.MultiKrum(1, 0));
    }

    @Test
    void configNamesAreTheListedOnesInOrder() {
        List<AggregationRule> rules = List.of(new AggregationRule.Mean(), new AggregationRule.Median(),
                new AggregationRule.TrimmedMean(0.1), new AggregationRule.Krum(1), new AggregationRule.MultiKrum(1, 2));
        assertEquals(List.of("mean", "median", "trimmed_mean", "krum", "multi_krum"),
                rules.stream().map(AggregationRule::configName).toList());
        assertEquals(AggregationRule.CONFIG_NAMES, rules.stream().map(AggregationRule::configName).toList());
    }

    @Test
    void theMeanHasNoRobustAggregatorAndSaysWhere() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new AggregationRule.Mean().newAggregator(GLOBAL, 1));
        assertTrue(e.getMessage().contains("WeightedMeanAggregator"), e.getMessage());
    }

    @Test
    void eachRobustRuleMakesItsAggregator() {
        assertInstanceOf(CoordinateMedianAggregator.class, new AggregationRule.Median().newAggregator(GLOBAL, 1));
        assertInstanceOf(TrimmedMeanAggregator.class, new AggregationRule.TrimmedMean(0.1).newAggregator(GLOBAL, 1));
        assertInstanceOf(KrumAggregator.class, new AggregationRule.Krum(1).newAggregator(GLOBAL, 1));
        assertInstanceOf(KrumAggregator.class, new AggregationRule.MultiKrum(1, 2).newAggregator(GLOBAL, 1));
    }

    @Test
    void fewestUpdatesFollowEachRulesCondition() {
        assertEquals(1, new AggregationRule.Median().minUpdates());
        assertEquals(5, new AggregationRule.Krum(1).minUpdates());
        assertEquals(5, new AggregationRule.MultiKrum(1, 3).minUpdates());
        assertEquals(8, new AggregationRule.MultiKrum(2, 6).minUpdates());
    }
}
