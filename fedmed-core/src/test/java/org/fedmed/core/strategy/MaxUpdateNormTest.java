package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.robust.AggregationRule;
import org.junit.jupiter.api.Test;

/**
 * The round's {@link InfluenceLimits#maxUpdateNorm()} reaches the intake of whatever aggregator the strategy builds,
 * so an update whose delta is longer than the bound is refused, with the intake's wording, and the others are
 * combined as if it had never come.
 */
class MaxUpdateNormTest {

    static final ModelParameters GLOBAL = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{1, 1})));

    static FitResult weights(String site, float a, float b) {
        return new FitResult(site, "r1-fit-" + site, ModelParameters.ofFlat(GLOBAL.layout(), new float[]{a, b}), false,
                10, 1.0, Map.of());
    }

    static FederatedAveraging fedAvg(AggregationRule rule) {
        return new FederatedAveraging("fedavg", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1),
                new FitConfig(1, 8, 0.1, false, 0), ServerOptimizerSettings.sgd(1.0), 0, rule, 0);
    }

    static RoundContext bounded(double norm) {
        return new RoundContext(1, GLOBAL, List.of("a", "b", "c", "big"), 7,
                new InfluenceLimits(1.0, Double.POSITIVE_INFINITY, norm));
    }

    @Test
    void anUpdateLongerThanTheBoundIsRefusedByTheWeightedMeanAndTheRestAveraged() throws Exception {
        Aggregator agg = fedAvg(new AggregationRule.Mean()).newAggregator(bounded(2.0));
        agg.accept(weights("a", 2, 1)); // delta (1, 0): norm 1
        agg.accept(weights("b", 1, 3)); // delta (0, 2): norm 2, on the bound
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> agg.accept(weights("big", 4, 5)));
        assertEquals("big", e.siteId());
        assertEquals("L2 norm of the update's delta from the global model exceeds the bound 2.0 (it reached 5.0 after"
                + " 2 of 2 values)", e.reason());
        assertEquals(List.of(), agg.close());
        assertArrayEquals(new float[]{1.5f, 2f}, agg.result().flat());
    }

    @Test
    void aRobustRuleRefusesTheSameUpdateWithTheSameWords() throws Exception {
        Aggregator agg = fedAvg(new AggregationRule.Median()).newAggregator(bounded(2.0));
        agg.accept(weights("a", 2, 1));
        agg.accept(weights("b", 1, 3));
        agg.accept(weights("c", 1, 1));
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> agg.accept(weights("big", 4, 5)));
        assertEquals("L2 norm of the update's delta from the global model exceeds the bound 2.0 (it reached 5.0 after"
                + " 2 of 2 values)", e.reason());
        assertArrayEquals(new float[]{1, 1}, agg.result().flat(), "the median of a, b and c alone");
    }

    @Test
    void withoutABoundTheLongUpdateIsAveragedIn() throws Exception {
        Aggregator agg = fedAvg(new AggregationRule.Mean()).newAggregator(bounded(Double.POSITIVE_INFINITY));
        agg.accept(weights("a", 2, 1));
        agg.accept(weights("big", 4, 5));
        agg.close();
        assertArrayEquals(new float[]{3, 3}, agg.result().flat());
    }
}
