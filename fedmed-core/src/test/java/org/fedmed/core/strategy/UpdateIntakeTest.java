package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

/** Each refusal of the intake, in its one wording; the transport's tests assert the same words. */
class UpdateIntakeTest {

    static ModelParameters model(float... b) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2, 2}, new float[]{1, 2, 3, 4}),
                new Tensor("b", new int[]{2}, b)));
    }

    static FitResult update(String site, String taskId, ModelParameters p, boolean delta) {
        return new FitResult(site, taskId, p, delta, 10, 1.0, Map.of());
    }

    static ModelParameters global() {
        return model(0, 0);
    }

    static String refusal(UpdateIntake intake, FitResult u) {
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> intake.admit(u));
        assertEquals(u.siteId(), e.siteId());
        assertEquals("update from site '" + u.siteId() + "' rejected: " + e.reason(), e.getMessage());
        return e.reason();
    }

    @Test
    void updateForAnotherRoundIsRefusedWithTheExpectedTaskId() {
        UpdateIntake intake = new UpdateIntake(global(), 3);
        assertEquals("task id 'r2-fit-a' does not answer a fit task of round 3 (expected 'r3-fit-a')",
                refusal(intake, update("a", "r2-fit-a", model(1, 1), false)));
        assertEquals("task id 'r3-eval-a' does not answer a fit task of round 3 (expected 'r3-fit-a')",
                refusal(intake, update("a", "r3-eval-a", model(1, 1), false)));
        assertEquals("task id 'r3-fit-' does not answer a fit task of round 3 (expected 'r3-fit-a')",
                refusal(intake, update("a", "r3-fit-", model(1, 1), false)));
        assertEquals("task id 'null' does not answer a fit task of round 3 (expected 'r3-fit-a')",
                refusal(intake, update("a", null, model(1, 1), false)));
        assertFalse(intake.admitted("a"), "a refused update leaves no trace");
    }

    @Test
    void updateWithAnotherLayoutIsRefusedNamingBothLayouts() {
        ModelParameters wrong = ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
        assertEquals("parameter layout [w[3]] does not match the global model's [w[2, 2], b[2]]",
                refusal(new UpdateIntake(global(), 1), update("a", "r1-fit-a", wrong, false)));
    }

    @Test
    void secondUpdateFromTheSameSiteInARoundIsRefused() throws Exception {
        UpdateIntake intake = new UpdateIntake(global(), 4);
        intake.admit(update("a", "r4-fit-a", model(1, 1), false));
        assertEquals("the site already sent an update in round 4",
                refusal(intake, update("a", "r4-fit-a", model(2, 2), false)));
        assertDoesNotThrow(() -> intake.admit(update("b", "r4-fit-b", model(2, 2), false)));
    }

    @Test
    void nonFiniteValueIsRefusedNamingItsTensorAndIndex() {
        UpdateIntake intake = new UpdateIntake(global(), 1);
        assertEquals("value NaN in tensor 'b' (flat index 5) is not finite",
                refusal(intake, update("b", "r1-fit-b", model(0, Float.NaN), false)));
        assertEquals("value -Infinity in tensor 'b' (flat index 4) is not finite",
                refusal(intake, update("b", "r1-fit-b", model(Float.NEGATIVE_INFINITY, 0), true)));
    }

    @Test
    void nonFiniteAuxiliaryVectorIsRefusedNamingTheVector() {
        FitResult u = new FitResult("a", "r1-fit-a", model(1, 1), true, 10, 1.0, Map.of(),
                Map.of("scaffold.delta_c", model(0, Float.NaN)));
        assertEquals("value NaN of auxiliary vector 'scaffold.delta_c' in tensor 'b' (flat index 5) is not finite",
                refusal(new UpdateIntake(global(), 1), u));
        UpdateIntake forFold = new UpdateIntake(global(), 1);
        assertThrows(UpdateRejectedException.class, () -> forFold.admitForFold(u),
                "an accumulator does not fold auxiliary vectors, so the intake checks them");
        assertFalse(forFold.admitted("a"));
    }

    @Test
    void updateAboveTheNormBoundIsRefusedWithTheNormItReached() throws Exception {
        // weights (1,2,3,4,30,40) against global (1,2,3,4,0,0): delta norm 50
        UpdateIntake intake = new UpdateIntake(global(), 1, 49.5);
        assertEquals("L2 norm of the update's delta from the global model exceeds the bound 49.5 (it reached 50.0 "
                + "after 6 of 6 values)", refusal(intake, update("a", "r1-fit-a", model(30, 40), false)));
        UpdateIntake wide = new UpdateIntake(global(), 1, 50);
        wide.admit(update("a", "r1-fit-a", model(30, 40), false));
        assertTrue(wide.admitted("a"), "a delta of norm exactly the bound is admitted");
        assertEquals("L2 norm of the update's delta from the global model exceeds the bound 50.0 (it reached 51.0 "
                + "after 6 of 6 values)", refusal(wide, update("d", "r1-fit-d", ModelParameters.ofFlat(
                global().layout(), new float[]{0, 0, 0, 0, 51, 0}), true)));
    }

    @Test
    void scanRefusesAtTheFirstSliceThatCrossesTheBound() throws Exception {
        UpdateIntake intake = new UpdateIntake(global(), 1, 5);
        float[] v = {3, 0, 4, 0, 1, 0}; // a delta: norm 5 after 3 values, above 5 after 5
        UpdateIntake.Scan scan = intake.scan("a", true);
        scan.check(v, 0, 4);
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> scan.check(v, 4, 6));
        assertEquals("L2 norm of the update's delta from the global model exceeds the bound 5.0 (it reached 5.0990195 "
                + "after 6 of 6 values)", e.reason());
        assertEquals("value NaN in tensor 'w' (flat index 1) is not finite", assertThrows(UpdateRejectedException.class,
                () -> intake.scan("a", true).check(new float[]{0, Float.NaN, 0, 0, 0, 0}, 0, 2)).reason());
    }

    @Test
    void normIsTheSameBitForBitHoweverTheUpdateIsSliced() throws Exception {
        int p = 1003;
        java.util.Random random = new java.util.Random(7);
        float[] g = new float[p];
        float[] v = new float[p];
        for (int i = 0; i < p; i++) {
            g[i] = (float) random.nextGaussian();
            v[i] = (float) random.nextGaussian() * 1e3f;
        }
        ModelParameters global = ModelParameters.ofFlat(
                org.fedmed.core.ParameterLayout.of(List.of("w"), List.of(new int[]{p})), g);
        // the documented sum: squared delta of flat index i into partial sum i mod 4, then (s0 + s1) + (s2 + s3)
        double[] lanes = new double[4];
        for (int i = 0; i < p; i++) {
            double d = (double) v[i] - g[i];
            lanes[i % 4] += d * d;
        }
        double norm = Math.sqrt((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
        for (int[] cuts : new int[][]{{p}, {1, p}, {3, 5, 6, 1000, p}, {511, 512, 513, p}}) {
            UpdateIntake exact = new UpdateIntake(global, 1, norm);
            UpdateIntake.Scan admitted = exact.scan("a", false);
            UpdateIntake.Scan refused = new UpdateIntake(global, 1, Math.nextDown(norm)).scan("a", false);
            int from = 0;
            for (int i = 0; i < cuts.length - 1; i++) {
                admitted.check(v, from, cuts[i]);
                refused.check(v, from, cuts[i]);
                from = cuts[i];
            }
            admitted.check(v, from, p);
            int last = from;
            UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> refused.check(v, last, p),
                    "cut at " + java.util.Arrays.toString(cuts));
            assertTrue(e.reason().contains("(it reached " + (float) norm + " after 1003 of 1003 values)"), e.reason());
        }
    }

    @Test
    void unboundedScanRefusesOnlyNonFiniteValues() throws Exception {
        UpdateIntake intake = new UpdateIntake(global(), 1);
        intake.scan("a", true).check(new float[]{Float.MAX_VALUE, -Float.MAX_VALUE, 0, 0, 1, 1}, 0, 6);
        assertEquals("value -Infinity in tensor 'b' (flat index 5) is not finite", assertThrows(
                UpdateRejectedException.class, () -> intake.scan("a", true).check(
                        new float[]{0, 0, 0, 0, Float.MAX_VALUE, Float.NEGATIVE_INFINITY}, 3, 6)).reason());
    }

    @Test
    void boundedScanNamesTheFirstNonFiniteValueEvenPastTheBound() {
        UpdateIntake intake = new UpdateIntake(global(), 1, 1);
        assertEquals("value NaN in tensor 'b' (flat index 5) is not finite", assertThrows(UpdateRejectedException.class,
                () -> intake.scan("a", true).check(new float[]{9, 9, 9, 9, 9, Float.NaN}, 0, 6)).reason());
    }

    @Test
    void admitForFoldLeavesFinitenessToTheFoldAndRefuseNonFiniteForgetsTheSite() throws Exception {
        UpdateIntake intake = new UpdateIntake(global(), 1);
        FitResult nan = update("a", "r1-fit-a", model(Float.NaN, 0), false);
        intake.admitForFold(nan);
        assertTrue(intake.admitted("a"));
        UpdateRejectedException e = intake.refuseNonFinite(nan);
        assertEquals("value NaN in tensor 'b' (flat index 4) is not finite", e.reason());
        assertFalse(intake.admitted("a"));
        assertDoesNotThrow(() -> intake.admitForFold(update("a", "r1-fit-a", model(1, 1), false)),
                "the site may still send a good update");
    }

    @Test
    void updateThatNamesNoSiteIsRefused() {
        assertEquals("the update names no site (expected a site id)",
                refusal(new UpdateIntake(global(), 1), update(" ", "r1-fit-a", model(1, 1), false)));
    }

    @Test
    void boundMustBePositive() {
        assertEquals("max_update_norm must be positive (or infinite to turn it off), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new UpdateIntake(global(), 1, 0)).getMessage());
    }
}
