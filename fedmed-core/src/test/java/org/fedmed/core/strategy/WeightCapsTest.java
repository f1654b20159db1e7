package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

class WeightCapsTest {

    @Test
    void aSiteAboveHalfTheWeightIsCappedAtHalf() {
        // 1e9 against 100 + 200 + 300: capped at c with c = 0.5 (c + 600), so c = 600.
        double[] w = WeightCaps.capped(new double[]{100, 1e9, 200, 300}, 0.5);
        assertArrayEquals(new double[]{100, 600, 200, 300}, w, 1e-9);
    }

    @Test
    void weightsUnderTheCapAreLeftAlone() {
        assertArrayEquals(new double[]{227, 294, 123, 200},
                WeightCaps.capped(new double[]{227, 294, 123, 200}, 0.5), 0);
    }

    @Test
    void twoHeavySitesAreCappedTogetherUnderAThirdShare() {
        // s = 0.3: two capped at c = 0.3 (2c + 100) => c = 30 / 0.4 = 75; shares 75/250 = 0.3 each.
        double[] w = WeightCaps.capped(new double[]{1000, 50, 900, 50}, 0.3);
        assertArrayEquals(new double[]{75, 50, 75, 50}, w, 1e-9);
    }

    @Test
    void withTwoSitesAHalfShareMakesThemEqual() {
        assertArrayEquals(new double[]{7, 7}, WeightCaps.capped(new double[]{7, 1e6}, 0.5), 1e-9);
    }

    @Test
    void aShareBelowOneOverNIsRaisedToOneOverN() {
        // three sites cannot each hold at most 0.1; the cap becomes 1/3 and all weigh the same
        assertArrayEquals(new double[]{5, 5, 5}, WeightCaps.capped(new double[]{5, 50, 500}, 0.1), 1e-9);
    }

    @Test
    void mostCappedIsCeilingOfOneOverShareMinusOne() {
        assertEquals(0, WeightCaps.mostCapped(1.0));
        assertEquals(1, WeightCaps.mostCapped(0.5));
        assertEquals(2, WeightCaps.mostCapped(0.34));
        assertEquals(2, WeightCaps.mostCapped(1.0 / 3));
        assertEquals(9, WeightCaps.mostCapped(0.1));
    }

    private static FitResult update(String site, float value, long examples) {
        return new FitResult(site, "r1-fit-" + site, ModelParameters.of(List.of(new Tensor("w", new int[]{2},
                new float[]{value, -value}))), false, examples, 1.0, Map.of());
    }

    private static ModelParameters zero() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[2])));
    }

    @Test
    void streamingAggregatorMatchesTheCappedWeightedMeanWhateverTheArrivalOrder() throws Exception {
        // weights 100, 200, 300 and a liar at 1e9 capped at 600: mean = (100*1 + 200*2 + 300*3 + 600*10) / 1200
        double expected = (100 * 1 + 200 * 2 + 300 * 3 + 600 * 10) / 1200.0;
        List<List<FitResult>> orders = List.of(
                List.of(update("a", 1, 100), update("b", 2, 200), update("c", 3, 300), update("liar", 10, 1_000_000_000)),
                List.of(update("liar", 10, 1_000_000_000), update("c", 3, 300), update("a", 1, 100), update("b", 2, 200)),
                List.of(update("b", 2, 200), update("liar", 10, 1_000_000_000), update("a", 1, 100), update("c", 3, 300)));
        for (List<FitResult> order : orders) {
            WeightedMeanAggregator agg = new WeightedMeanAggregator(zero(), r -> r.numExamples(), 1.0, 1, 0.5);
            for (FitResult r : order) {
                agg.accept(r);
            }
            ModelParameters m = agg.result();
            assertEquals(expected, m.flat()[0], 1e-5);
            assertEquals(-expected, m.flat()[1], 1e-5);
            assertEquals(1, agg.weightCaps().size());
            WeightCaps.Capped c = agg.weightCaps().getFirst();
            assertEquals("liar", c.siteId());
            assertEquals(1e9, c.weight(), 0);
            assertEquals(600, c.cappedWeight(), 1e-9);
            assertEquals(0.5, c.share(), 1e-12);
        }
    }

    @Test
    void withoutACapTheLiarDominates() throws Exception {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(zero(), r -> r.numExamples(), 1.0, 1);
        agg.accept(update("a", 1, 100));
        agg.accept(update("liar", 10, 1_000_000_000));
        assertEquals(10, agg.result().flat()[0], 1e-4);
        assertEquals(List.of(), agg.weightCaps());
    }
}
