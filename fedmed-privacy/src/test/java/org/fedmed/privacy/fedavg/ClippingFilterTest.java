package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.L2Clip;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

class ClippingFilterTest {

    @Test
    void longUpdatesAreScaledToTheClipNormAndKeepTheirDirection() throws Exception {
        ClippingFilter clip = new ClippingFilter(1.0);
        FitResult out = clip.apply(Updates.delta("a", 1, 3, 4), Updates.zeros(2));
        assertEquals(1.0, out.parameters().l2Norm(), 1e-6);
        assertArrayEquals(new float[]{0.6f, 0.8f}, out.parameters().flat(), 1e-6f);
        assertEquals(1, clip.updatesClipped());
    }

    @Test
    void clippedNormNeverExceedsTheBoundOnRandomUpdates() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        ClippingFilter clip = new ClippingFilter(0.37);
        for (int k = 0; k < 200; k++) {
            float[] v = new float[1 + rng.nextInt(300)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (rng.nextGaussian() * Math.exp(rng.nextDouble(-6, 6)));
            }
            FitResult out = clip.apply(Updates.delta("s" + k, 1, v), Updates.zeros(v.length));
            assertTrue(L2Clip.norm(out.parameters().flat()) <= 0.37, "update " + k);
        }
        assertEquals(200, clip.updatesSeen());
    }

    @Test
    void updatesWithinTheBoundPassUntouched() throws Exception {
        ClippingFilter clip = new ClippingFilter(10.0);
        float[] small = {0.1f, -2.5f, 3.25f, 1e-7f};
        FitResult out = clip.apply(Updates.delta("a", 1, small), Updates.zeros(4));
        assertArrayEquals(small, out.parameters().flat());
        assertEquals(1, clip.updatesSeen());
        assertEquals(0, clip.updatesClipped());
    }

    @Test
    void fullWeightsAreClippedAsTheirDeltaFromTheGlobalModel() throws Exception {
        ModelParameters global = Updates.model(10, 10);
        FitResult out = new ClippingFilter(5).apply(Updates.weights("a", 1, 16, 18), global);
        assertTrue(out.isDelta());
        assertArrayEquals(new float[]{3, 4}, out.parameters().flat(), 1e-6f);
        FitResult clipped = new ClippingFilter(1).apply(Updates.weights("a", 1, 16, 18), global);
        assertArrayEquals(new float[]{0.6f, 0.8f}, clipped.parameters().flat(), 1e-6f);
    }

    @Test
    void nonFiniteOrWrongShapedUpdatesAreRefusedNamingTheSite() {
        ClippingFilter clip = new ClippingFilter(1);
        UpdateRejectedException nan = assertThrows(UpdateRejectedException.class,
                () -> clip.apply(Updates.delta("hospital-a", 1, 1, Float.NaN), Updates.zeros(2)));
        assertTrue(nan.getMessage().contains("hospital-a") && nan.getMessage().contains("not finite"));
        UpdateRejectedException shape = assertThrows(UpdateRejectedException.class,
                () -> clip.apply(Updates.delta("hospital-b", 1, 1, 2, 3), Updates.zeros(2)));
        assertTrue(shape.getMessage().contains("layout"));
        assertEquals(0, clip.updatesSeen());
    }
}
