package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.fedmed.core.filter.FilteredAggregator;
import org.fedmed.core.filter.ModelFilter;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.fedmed.core.strategy.WeightedMeanAggregator;
import org.junit.jupiter.api.Test;

class FilteredAggregatorTest {

    static ModelParameters params(float... v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{v.length}, v)));
    }

    @Test
    void inboundFiltersSeeDeltasAndModelFiltersSeeTheAggregate() throws Exception {
        ModelParameters global = params(1, 1);
        UpdateFilter halve = (u, g) -> {
            float[] d = UpdateFilter.deltaOf(u, g);
            for (int i = 0; i < d.length; i++) d[i] /= 2;
            return UpdateFilter.withDelta(u, d);
        };
        ModelFilter plusTen = (prev, agg, round, n) -> {
            float[] v = agg.copyFlat();
            for (int i = 0; i < v.length; i++) v[i] += 10 * n;
            return ModelParameters.ofFlat(agg.layout(), v);
        };
        var agg = new FilteredAggregator(new WeightedMeanAggregator(global, SiteWeighting.UNIFORM::weight, 1.0, 1),
                global, 1, List.of(halve), List.of(plusTen));
        agg.accept(new FitResult("a", "r1-fit-a", params(5, 1), false, 1, 1, Map.of())); // delta 4,0 -> 2,0
        agg.accept(new FitResult("b", "r1-fit-b", params(0, 2), true, 1, 1, Map.of()));  // delta 0,2 -> 0,1
        // theta + mean(deltas) = [1 + 1, 1 + 0.5], then +20
        assertArrayEquals(new float[]{22, 21.5f}, agg.result().flat(), 1e-6f);
    }

    @Test
    void aFilterThatRefusesKeepsTheUpdateOut() throws Exception {
        ModelParameters global = params(0);
        UpdateFilter refuseB = (u, g) -> {
            if (u.siteId().equals("b")) throw new UpdateRejectedException("b", "norm above bound");
            return u;
        };
        var agg = new FilteredAggregator(new WeightedMeanAggregator(global, SiteWeighting.UNIFORM::weight, 1.0, 1),
                global, 1, List.of(refuseB), List.of());
        agg.accept(new FitResult("a", "r1-fit-a", params(3), false, 1, 1, Map.of()));
        assertThrows(UpdateRejectedException.class,
                () -> agg.accept(new FitResult("b", "r1-fit-b", params(100), false, 1, 1, Map.of())));
        assertEquals(1, agg.accepted());
        assertArrayEquals(new float[]{3}, agg.result().flat());
    }
}
