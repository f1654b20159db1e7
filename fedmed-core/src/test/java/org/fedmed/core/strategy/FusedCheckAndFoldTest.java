package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.junit.jupiter.api.Test;

/**
 * The weighted mean reads each update once, checking it inside the fold of its group of four: finite rounds give
 * exactly the grouped float arithmetic of the two-pass aggregator, and a non-finite value anywhere in a group is
 * refused (by its own accept when it completes the group, else late, by close) and leaves the result bit for bit
 * as if the update had never arrived.
 */
class FusedCheckAndFoldTest {

    static final int P = 1003; // not a multiple of any vector width

    static final ParameterLayout LAYOUT = ParameterLayout.of(List.of("w"), List.of(new int[]{P}));

    static float[] random(SplittableRandom rng, double scale) {
        float[] v = new float[P];
        for (int i = 0; i < P; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    static FitResult update(int k, float[] v, boolean delta, long n) {
        return new FitResult("site-" + k, "r1-fit-site-" + k, ModelParameters.ofFlat(LAYOUT, v), delta, n, 1.0,
                Map.of());
    }

    /**
     * The two-pass aggregator's arithmetic written out plainly: weights cast to float, groups of four added as
     * (w0 x0 + w1 x1) + (w2 x2 + w3 x3), a partial last group left to right, then the mean in double.
     */
    static float[] twoPassMean(float[] theta, List<FitResult> updates) {
        float[] sum = new float[P];
        double total = 0;
        double deltaWeight = 0;
        for (int start = 0; start < updates.size(); start += 4) {
            int end = Math.min(updates.size(), start + 4);
            for (int i = 0; i < P; i++) {
                float[] t = new float[4];
                int c = 0;
                for (int k = start; k < end; k++) {
                    t[c++] = (float) updates.get(k).numExamples() * updates.get(k).parameters().flat()[i];
                }
                float g = switch (c) {
                    case 1 -> t[0];
                    case 2 -> t[0] + t[1];
                    case 3 -> t[0] + t[1] + t[2];
                    default -> (t[0] + t[1]) + (t[2] + t[3]);
                };
                sum[i] += g;
            }
        }
        for (FitResult u : updates) {
            total += u.numExamples();
            if (u.isDelta()) {
                deltaWeight += u.numExamples();
            }
        }
        float[] mean = new float[P];
        for (int i = 0; i < P; i++) {
            mean[i] = (float) (sum[i] / total + deltaWeight / total * theta[i]);
        }
        return mean;
    }

    static float[] aggregate(ModelParameters global, List<FitResult> updates) throws UpdateRejectedException {
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        for (FitResult u : updates) {
            agg.accept(u);
        }
        return agg.result().flat();
    }

    @Test
    void finiteRoundsEqualTheTwoPassArithmeticBitForBitForEveryGroupRemainder() throws Exception {
        SplittableRandom rng = new SplittableRandom(14);
        for (int n = 1; n <= 13; n++) {
            float[] theta = random(rng, 1);
            List<FitResult> updates = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                updates.add(update(k, random(rng, k % 3 == 0 ? 1e3 : 1e-2), k % 2 == 1, 1 + rng.nextInt(5000)));
            }
            float[] got = aggregate(ModelParameters.ofFlat(LAYOUT, theta), updates);
            float[] expected = twoPassMean(theta, updates);
            assertArrayEquals(expected, got, "N = " + n); // assertArrayEquals on float[] compares bits
            // and the arithmetic is the mean: within float rounding of a double computation
            for (int i = 0; i < P; i += 97) {
                double s = 0;
                double tot = 0;
                for (FitResult u : updates) {
                    double x = u.parameters().flat()[i] + (u.isDelta() ? theta[i] : 0);
                    s += u.numExamples() * x;
                    tot += u.numExamples();
                }
                assertEquals(s / tot, got[i], 1e-4 * (1 + Math.abs(s / tot)), "N = " + n + ", i = " + i);
            }
        }
    }

    /** The refusal of {@code u}: thrown by its accept, or null when the aggregator took it in. */
    static UpdateRejectedException acceptOrRefusal(WeightedMeanAggregator agg, FitResult u) {
        try {
            agg.accept(u);
            return null;
        } catch (UpdateRejectedException e) {
            return e;
        }
    }

    @Test
    void nonFiniteValueAtEveryPlaceInAGroupLeavesTheResultAsIfTheUpdateNeverCame() throws Exception {
        SplittableRandom rng = new SplittableRandom(41);
        float[] theta = random(rng, 1);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, theta);
        List<FitResult> good = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            good.add(update(k, random(rng, 1), k == 2, 3 + 11L * k));
        }
        float[] without = aggregate(global, good);
        float[] bads = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int place = 0; place <= good.size(); place++) {
            for (float badValue : bads) {
                float[] v = random(rng, 1);
                int at = P - 1 - place; // late in the vector: most of the fold has run when it is found
                v[at] = badValue;
                FitResult bad = update(99, v, false, 1000);
                WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight,
                        1.0, 1);
                UpdateRejectedException own = null;
                for (int k = 0; k <= good.size(); k++) {
                    if (k == place) {
                        own = acceptOrRefusal(agg, bad);
                    }
                    if (k < good.size()) {
                        agg.accept(good.get(k));
                    }
                }
                List<UpdateRejectedException> late = agg.close();
                // the fourth of a group is checked in its own call; the others when their group is folded
                boolean completesAGroup = place % 4 == 3;
                assertEquals(completesAGroup, own != null, "place " + place);
                assertEquals(completesAGroup ? 0 : 1, late.size(), "place " + place);
                UpdateRejectedException e = own != null ? own : late.get(0);
                assertEquals("update from site 'site-99' rejected: value " + badValue + " in tensor 'w' "
                        + "(flat index " + at + ") is not finite", e.getMessage());
                assertEquals(good.size(), agg.accepted());
                assertArrayEquals(without, agg.result().flat(), "bad update at place " + place + " (" + badValue + ")");
            }
        }
    }

    @Test
    void nanInTheThirdUpdateOfAGroupOfFourIsRefusedLateNamingTheSiteWhenTheFourthArrives() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, random(rng, 1));
        FitResult a = update(0, random(rng, 1), false, 10);
        FitResult b = update(1, random(rng, 1), true, 20);
        float[] v = random(rng, 1);
        v[500] = Float.NaN;
        FitResult c = new FitResult("hospital-c", "r1-fit-hospital-c", ModelParameters.ofFlat(LAYOUT, v), false, 30,
                1.0, Map.of());
        FitResult d = update(3, random(rng, 1), false, 40);
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(a);
        agg.accept(b);
        agg.accept(c);
        assertEquals(java.util.Set.of("site-0", "site-1", "hospital-c"), agg.unsettled());
        agg.accept(d);
        assertEquals(java.util.Set.of("site-0", "site-1", "site-3"), agg.unsettled());
        assertEquals(1, agg.refusedLate().size());
        UpdateRejectedException e = agg.refusedLate().get(0);
        assertEquals("hospital-c", e.siteId());
        assertEquals("value NaN in tensor 'w' (flat index 500) is not finite", e.reason());
        assertEquals(List.of(e), agg.close());
        assertEquals(java.util.Set.of(), agg.unsettled());
        assertArrayEquals(aggregate(global, List.of(a, b, d)), agg.result().flat());
    }

    @Test
    void twoBadUpdatesInOneGroupAreBothRefusedAndTheGoodOnesWaitForTheNextArrivals() throws Exception {
        SplittableRandom rng = new SplittableRandom(12);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, random(rng, 1));
        List<FitResult> good = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            good.add(update(k, random(rng, 1), false, 5 + k));
        }
        float[] v1 = random(rng, 1);
        v1[0] = Float.NaN;
        float[] v2 = random(rng, 1);
        v2[P - 1] = Float.POSITIVE_INFINITY;
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(good.get(0));
        agg.accept(update(90, v1, false, 7));
        agg.accept(update(91, v2, false, 7));
        for (int k = 1; k < good.size(); k++) {
            agg.accept(good.get(k));
        }
        assertEquals(List.of("site-90", "site-91"), agg.close().stream().map(UpdateRejectedException::siteId).toList());
        assertArrayEquals(aggregate(global, good), agg.result().flat());
    }

    @Test
    void refusedUpdateLeavesTheCappedAggregateUntouchedToo() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, random(rng, 1));
        List<FitResult> good = List.of(update(0, random(rng, 1), false, 10), update(1, random(rng, 1), false, 500),
                update(2, random(rng, 1), true, 30), update(3, random(rng, 1), false, 40));
        float[] v = random(rng, 1);
        v[0] = Float.NaN;
        FitResult bad = update(9, v, false, 10_000);
        WeightedMeanAggregator with = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1, 0.5);
        WeightedMeanAggregator without = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1,
                0.5);
        for (int k = 0; k < good.size(); k++) {
            if (k == 2) {
                assertThrows(UpdateRejectedException.class, () -> with.accept(bad));
            }
            with.accept(good.get(k));
            without.accept(good.get(k));
        }
        assertArrayEquals(without.result().flat(), with.result().flat());
        assertEquals(without.weightCaps(), with.weightCaps());
    }

    @Test
    void secondUpdateFromASiteIsRefusedAndLeavesTheMeanUntouched() throws Exception {
        SplittableRandom rng = new SplittableRandom(8);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, random(rng, 1));
        FitResult a = update(0, random(rng, 1), false, 10);
        FitResult again = update(0, random(rng, 1), false, 99);
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(a);
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> agg.accept(again));
        assertEquals("update from site 'site-0' rejected: the site already sent an update in round 1", e.getMessage());
        assertArrayEquals(aggregate(global, List.of(a)), agg.result().flat());
    }

    @Test
    void siteRefusedForANonFiniteValueMaySendAGoodUpdateLater() throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        ModelParameters global = ModelParameters.ofFlat(LAYOUT, random(rng, 1));
        float[] v = random(rng, 1);
        v[3] = Float.NaN;
        List<FitResult> others = List.of(update(1, random(rng, 1), false, 4), update(2, random(rng, 1), false, 5),
                update(3, random(rng, 1), false, 6));
        FitResult good = update(0, random(rng, 1), false, 10);
        WeightedMeanAggregator agg = new WeightedMeanAggregator(global, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        agg.accept(update(0, v, false, 10));
        for (FitResult o : others) {
            agg.accept(o);
        }
        assertEquals("site-0", agg.refusedLate().get(0).siteId());
        agg.accept(good);
        assertEquals(4, agg.accepted());
        assertEquals(1, agg.close().size());
        assertArrayEquals(aggregate(global, List.of(others.get(0), others.get(1), others.get(2), good)),
                agg.result().flat());
    }
}
