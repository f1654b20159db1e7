package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.L2Clip;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.FilteredAggregator;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

class FixedDenominatorAggregatorTest {

    @Test
    void sumOfDeltasIsDividedByTheExpectedCountNotTheReportedOne() throws Exception {
        ModelParameters global = Updates.model(1, 1);
        FixedDenominatorAggregator agg = new FixedDenominatorAggregator(global, 4, 3);
        agg.accept(Updates.delta("a", 3, 2, 0));
        agg.accept(Updates.delta("b", 3, 0, 2));
        assertEquals(2, agg.accepted());
        assertArrayEquals(new float[]{1.5f, 1.5f}, agg.result().flat(), 1e-6f);
    }

    @Test
    void sitesCountTheSameWhateverTheirSampleCount() throws Exception {
        ModelParameters global = Updates.zeros(1);
        FixedDenominatorAggregator agg = new FixedDenominatorAggregator(global, 2, 1);
        agg.accept(new FitResult("big", "r1-fit-big", Updates.model(1), true, 1_000_000, 1, Map.of()));
        agg.accept(new FitResult("small", "r1-fit-small", Updates.model(-1), true, 3, 1, Map.of()));
        assertArrayEquals(new float[]{0}, agg.result().flat());
    }

    @Test
    void oneClippedSiteMovesTheAverageByAtMostClipOverExpected() throws Exception {
        ModelParameters global = Updates.zeros(3);
        double clipNorm = 0.5;
        double expected = 8;
        FilteredAggregator with = new FilteredAggregator(new FixedDenominatorAggregator(global, expected, 1), global, 1,
                List.of(new ClippingFilter(clipNorm)), List.of());
        FilteredAggregator without = new FilteredAggregator(new FixedDenominatorAggregator(global, expected, 1), global,
                1, List.of(new ClippingFilter(clipNorm)), List.of());
        for (FilteredAggregator a : List.of(with, without)) {
            a.accept(Updates.delta("a", 1, 0.1f, 0.2f, 0.3f));
            a.accept(Updates.delta("b", 1, -3f, 1f, 0f));
        }
        with.accept(Updates.delta("outlier", 1, 1000f, -2000f, 5000f));
        float[] x = with.result().flat();
        float[] y = without.result().flat();
        float[] diff = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            diff[i] = x[i] - y[i];
        }
        assertTrue(L2Clip.norm(diff) <= clipNorm / expected * (1 + 1e-6), "moved by " + L2Clip.norm(diff));
    }

    @Test
    void aSecondUpdateFromTheSameSiteOrFromAnotherRoundIsRefused() throws Exception {
        FixedDenominatorAggregator agg = new FixedDenominatorAggregator(Updates.zeros(1), 2, 5);
        agg.accept(Updates.delta("a", 5, 1));
        UpdateRejectedException twice = assertThrows(UpdateRejectedException.class,
                () -> agg.accept(Updates.delta("a", 5, 1)));
        assertTrue(twice.getMessage().contains("the site already sent an update in round 5"));
        UpdateRejectedException stale = assertThrows(UpdateRejectedException.class,
                () -> agg.accept(Updates.delta("b", 4, 1)));
        assertTrue(stale.getMessage().contains("task id 'r4-fit-b' does not answer a fit task of round 5 (expected 'r5-fit-b')"));
        assertArrayEquals(new float[]{0.5f}, agg.result().flat());
    }

    @Test
    void withNoUpdateTheResultIsTheGlobalModel() {
        ModelParameters global = Updates.model(3, -1);
        assertEquals(global, new FixedDenominatorAggregator(global, 5, 1).result());
    }

    @Test
    void sumReadInOnePassEqualsThePlainFloatSumOfDeltas() throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
        int p = 517;
        float[] theta = new float[p];
        for (int i = 0; i < p; i++) {
            theta[i] = (float) rng.nextGaussian();
        }
        ModelParameters global = Updates.model(theta);
        FixedDenominatorAggregator agg = new FixedDenominatorAggregator(global, 3.5, 1);
        float[] sum = new float[p];
        for (int k = 0; k < 6; k++) {
            float[] v = new float[p];
            for (int i = 0; i < p; i++) {
                v[i] = (float) rng.nextGaussian();
            }
            boolean delta = k % 2 == 0;
            agg.accept(delta ? Updates.delta("s" + k, 1, v) : Updates.weights("s" + k, 1, v));
            for (int i = 0; i < p; i++) {
                sum[i] += delta ? v[i] : v[i] - theta[i];
            }
        }
        float[] expected = new float[p];
        for (int i = 0; i < p; i++) {
            expected[i] = (float) (theta[i] + (1 / 3.5) * sum[i]);
        }
        assertArrayEquals(expected, agg.result().flat());
    }

    @Test
    void nonFiniteValueLateInAnUpdateLeavesTheSumAsIfItNeverCame() throws Exception {
        ModelParameters global = Updates.model(1, 2, 3, 4);
        FixedDenominatorAggregator with = new FixedDenominatorAggregator(global, 2, 1);
        FixedDenominatorAggregator without = new FixedDenominatorAggregator(global, 2, 1);
        for (FixedDenominatorAggregator agg : List.of(with, without)) {
            agg.accept(Updates.delta("a", 1, 0.1f, 0.2f, 0.3f, 0.7f));
        }
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class,
                () -> with.accept(Updates.weights("bad", 1, 5, 6, 7, Float.POSITIVE_INFINITY)));
        assertEquals("update from site 'bad' rejected: value Infinity in tensor 'w' (flat index 3) is not finite",
                e.getMessage());
        for (FixedDenominatorAggregator agg : List.of(with, without)) {
            agg.accept(Updates.weights("b", 1, 1.5f, 2.5f, 3.5f, 4.5f));
        }
        assertEquals(2, with.accepted());
        assertArrayEquals(without.result().flat(), with.result().flat());
    }
}
