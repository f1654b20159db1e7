package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.delta;
import static org.fedmed.core.strategy.robust.RobustFixtures.params;
import static org.fedmed.core.strategy.robust.RobustFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.fedmed.core.FitResult;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

class NormBoundingFilterTest {

    @Test
    void aLongDeltaIsScaledToTheBoundKeepingItsDirection() throws Exception {
        FitResult out = new NormBoundingFilter(1).apply(delta("a", 3, 4), params(0, 0));
        assertArrayEquals(new float[]{0.6f, 0.8f}, out.parameters().flat(), 1e-6f);
        assertEquals(1.0, out.parameters().l2Norm(), 1e-6);
        assertTrue(out.isDelta());
        assertEquals("a", out.siteId());
        assertEquals(10, out.numExamples());
    }

    @Test
    void fullWeightsAreBoundedAsTheirDeltaFromTheGlobalModelAndSentOnAsADelta() throws Exception {
        FitResult out = new NormBoundingFilter(2.5).apply(weights("a", 13, 24), params(10, 20));
        assertTrue(out.isDelta());
        assertArrayEquals(new float[]{1.5f, 2f}, out.parameters().flat(), 1e-6f);
    }

    @Test
    void anUpdateWithinTheBoundPassesAsTheSameObject() throws Exception {
        NormBoundingFilter filter = new NormBoundingFilter(5);
        FitResult atTheBound = delta("a", 3, 4);
        assertSame(atTheBound, filter.apply(atTheBound, params(0, 0)));
        FitResult weightsInside = weights("b", 11, 21);
        assertSame(weightsInside, filter.apply(weightsInside, params(10, 20)));
    }

    @Test
    void scaledNormsLieAtTheBoundAndNeverAboveIt() throws Exception {
        Random rnd = new Random(3);
        NormBoundingFilter filter = new NormBoundingFilter(0.37);
        for (int k = 0; k < 200; k++) {
            float[] v = new float[1 + rnd.nextInt(300)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextDouble() * 8 - 2));
            }
            double before = params(v).l2Norm();
            FitResult out = filter.apply(delta("s" + k, v), params(new float[v.length]));
            double after = out.parameters().l2Norm();
            if (before <= 0.37) {
                assertEquals(before, after, "update " + k);
            } else {
                assertTrue(after <= 0.37, "update " + k + ": " + after);
                assertEquals(0.37, after, 0.37 * 1e-6, "update " + k);
            }
        }
    }

    @Test
    void aNonFiniteOrNonPositiveBoundIsRefusedNamingItsKey() {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, 0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NormBoundingFilter(bad));
            assertTrue(e.getMessage().contains("aggregation.norm_bound") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
    }

    @Test
    void aNonFiniteUpdateIsRefusedNamingTheSite() {
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class,
                () -> new NormBoundingFilter(1).apply(delta("hospital-a", 1, Float.NaN), params(0, 0)));
        assertEquals("hospital-a", e.siteId());
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    }
}
