package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

class WeightedMeanAggregatorTest {

    static ModelParameters params(float... v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{v.length}, v)));
    }

    static FitResult weights(String site, long n, double quality, float... v) {
        return new FitResult(site, "r1-fit-" + site, params(v), false, n, quality, Map.of());
    }

    static FitResult delta(String site, long n, float... v) {
        return new FitResult(site, "r1-fit-" + site, params(v), true, n, 1.0, Map.of());
    }

    @Test
    void fedAvgWeightsEachSiteBySampleCount() throws Exception {
        var agg = new WeightedMeanAggregator(params(0, 0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(weights("a", 1, 1, 4, 8));
        agg.accept(weights("b", 3, 1, 0, 4));
        // (1*[4,8] + 3*[0,4]) / 4 = [1, 5]
        assertArrayEquals(new float[]{1, 5}, agg.result().flat(), 1e-6f);
    }

    @Test
    void uniformMeanOfDeltasIsAddedToTheGlobalModel() throws Exception {
        var agg = new WeightedMeanAggregator(params(10, 20), SiteWeighting.UNIFORM::weight, 1.0, 1);
        agg.accept(delta("a", 100, 1, -2));
        agg.accept(delta("b", 1, 3, 2));
        agg.accept(delta("c", 7, 2, 3));
        // theta + mean(deltas) = [10 + 2, 20 + 1]
        assertArrayEquals(new float[]{12, 21}, agg.result().flat(), 1e-5f);
    }

    @Test
    void qualityWeightMultipliesSampleCountByQuality() throws Exception {
        var agg = new WeightedMeanAggregator(params(0), SiteWeighting.QUALITY::weight, 1.0, 1);
        agg.accept(weights("a", 10, 0.5, 2));   // weight 5
        agg.accept(weights("b", 5, 1.0, 8));    // weight 5
        assertArrayEquals(new float[]{5}, agg.result().flat(), 1e-6f);
    }

    @Test
    void weightsAndDeltasMayBeMixedInOneRound() throws Exception {
        var agg = new WeightedMeanAggregator(params(1), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(weights("a", 1, 1, 3));  // full weights 3
        agg.accept(delta("b", 1, 4));       // weights 1 + 4 = 5
        assertArrayEquals(new float[]{4}, agg.result().flat(), 1e-6f);
    }

    @Test
    void serverLearningRateScalesTheStepFromTheGlobalModel() throws Exception {
        var agg = new WeightedMeanAggregator(params(0), SiteWeighting.UNIFORM::weight, 0.5, 1);
        agg.accept(weights("a", 1, 1, 4));
        assertArrayEquals(new float[]{2}, agg.result().flat(), 1e-6f);
    }

    @Test
    void groupedStreamingMatchesADoublePrecisionReferenceForManySites() throws Exception {
        Random rnd = new Random(7);
        int p = 1000, n = 11;
        float[] theta = new float[p];
        var agg = new WeightedMeanAggregator(params(theta), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        double[] ref = new double[p];
        long total = 0;
        for (int k = 0; k < n; k++) {
            float[] v = new float[p];
            for (int i = 0; i < p; i++) v[i] = (float) rnd.nextGaussian();
            long count = 1 + rnd.nextInt(50);
            for (int i = 0; i < p; i++) ref[i] += count * (double) v[i];
            total += count;
            agg.accept(weights("s" + k, count, 1, v));
        }
        assertEquals(n, agg.accepted());
        float[] out = agg.result().flat();
        for (int i = 0; i < p; i++) {
            assertEquals(ref[i] / total, out[i], 1e-5, "index " + i);
        }
    }

    @Test
    void updateWithWrongShapeIsRejectedNamingTheSite() {
        var agg = new WeightedMeanAggregator(params(0, 0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        var e = assertThrows(UpdateRejectedException.class, () -> agg.accept(weights("zurich", 1, 1, 1, 2, 3)));
        assertEquals("zurich", e.siteId());
        assertTrue(e.getMessage().contains("layout"), e.getMessage());
        assertEquals(0, agg.accepted());
    }

    @Test
    void updateHoldingNaNOrInfIsRejectedNamingSiteAndTensor() throws Exception {
        var agg = new WeightedMeanAggregator(params(0, 0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(weights("va", 1, 1, 1, Float.NaN)); // held unread: the first of a group
        agg.accept(weights("vb", 1, 1, Float.POSITIVE_INFINITY, 0));
        var late = agg.close();
        assertEquals(2, late.size());
        var nan = late.get(0);
        assertTrue(nan.getMessage().contains("'va'") && nan.getMessage().contains("tensor 'w'"), nan.getMessage());
        assertEquals("vb", late.get(1).siteId());
        assertEquals(0, agg.accepted());
    }

    @Test
    void rejectedUpdateLeavesTheAggregateUntouched() throws Exception {
        var agg = new WeightedMeanAggregator(params(0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(weights("a", 1, 1, 2));
        agg.accept(weights("b", 100, 1, Float.NaN));
        assertEquals(List.of("b"), agg.close().stream().map(UpdateRejectedException::siteId).toList());
        assertArrayEquals(new float[]{2}, agg.result().flat());
    }

    @Test
    void resultWithoutCloseRefusesToHideALateRefusal() throws Exception {
        var agg = new WeightedMeanAggregator(params(0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(weights("a", 1, 1, 2));
        agg.accept(weights("b", 1, 1, Float.NaN));
        var e = assertThrows(IllegalStateException.class, agg::result);
        assertTrue(e.getMessage().contains("site 'b'"), e.getMessage());
    }

    @Test
    void updateForAnotherRoundIsRejected() {
        var agg = new WeightedMeanAggregator(params(0), SiteWeighting.SAMPLE_COUNT::weight, 1.0, 2);
        var e = assertThrows(UpdateRejectedException.class, () -> agg.accept(weights("a", 1, 1, 2)));
        assertTrue(e.getMessage().contains("task id"), e.getMessage());
    }
}
