package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.TaskId;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

class LinearFoldTest {

    private record Update(String site, float[] x, double a) {
    }

    private static List<Update> updates(int n, int size, long seed) {
        Random r = new Random(seed);
        List<Update> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                // values over many magnitudes, so a rounding sum would depend on the order
                x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            }
            out.add(new Update(String.format("s%03d", k), x, 1 + r.nextInt(500)));
        }
        return out;
    }

    private static ModelParameters global(int size) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{size}, new float[size])));
    }

    private static LinearFold fold(List<Update> us, double maxShare) {
        LinearFold f = new LinearFold(us.getFirst().x().length, maxShare);
        us.forEach(u -> f.add(u.site(), u.x(), u.a(), false));
        return f;
    }

    @Test
    void anOrderAndAnySplitIntoMergedPartialsGiveTheSameMeanBitForBit() {
        List<Update> us = updates(200, 16, 7);
        float[] inOrder = fold(us, 1.0).mean(global(16)).flat();
        List<Update> shuffled = new ArrayList<>(us);
        Collections.shuffle(shuffled, new Random(3));
        LinearFold a = fold(shuffled.subList(0, 37), 1.0);
        LinearFold b = fold(shuffled.subList(37, 150), 1.0);
        LinearFold c = fold(shuffled.subList(150, 200), 1.0);
        float[] merged = c.merge(a).merge(b).mean(global(16)).flat();
        assertArrayEquals(inOrder, merged);
        // the control: a plain double sum in the two orders does differ somewhere
        boolean differs = false;
        for (int i = 0; i < 16 && !differs; i++) {
            double s1 = 0;
            double s2 = 0;
            for (Update u : us) s1 += u.a() * u.x()[i];
            for (Update u : shuffled) s2 += u.a() * u.x()[i];
            differs = s1 != s2;
        }
        assertTrue(differs, "the test data should make a rounding sum order-dependent");
    }

    @Test
    void theMeanIsTheExactWeightedMeanRoundedToFloatWithinOneUlp() {
        List<Update> us = updates(50, 8, 11);
        float[] mean = fold(us, 1.0).mean(global(8)).flat();
        for (int i = 0; i < 8; i++) {
            BigDecimal s = BigDecimal.ZERO;
            BigDecimal w = BigDecimal.ZERO;
            for (Update u : us) {
                s = s.add(new BigDecimal(u.a()).multiply(new BigDecimal(u.x()[i])));
                w = w.add(new BigDecimal(u.a()));
            }
            float exact = s.divide(w, MathContext.DECIMAL128).floatValue();
            assertEquals(exact, mean[i], Math.ulp(exact), "coordinate " + i);
        }
    }

    @Test
    void anExactSumKeepsWhatARoundingSumLoses() {
        ExactSum s = new ExactSum(1);
        s.add(0, 1e20);
        s.add(0, 1.0);
        s.add(0, -1e20);
        assertEquals(1.0, s.get(0));
        assertEquals(0.0, 1e20 + 1.0 - 1e20, "the control: a double sum loses the 1");
        ExactSum neg = new ExactSum(1);
        neg.add(0, -3.25);
        neg.add(0, 1e-3);
        assertEquals(-3.25 + 1e-3, neg.get(0));
    }

    @Test
    void aValueBeyondTheRangeIsRefusedNamingIt() {
        ExactSum s = new ExactSum(2);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> s.add(1, 1e30));
        assertTrue(e.getMessage().contains("1.0E30") && e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> s.add(0, Double.NaN));
    }

    @Test
    void theShareCapCutsTheHeaviestSiteAsWeightCapsDoesWhereverItWasFolded() {
        List<Update> us = new ArrayList<>(updates(6, 4, 5));
        us.set(2, new Update("heavy", us.get(2).x(), 100_000));
        double[] weights = us.stream().mapToDouble(Update::a).toArray();
        double[] capped = WeightCaps.capped(weights, 0.5);
        LinearFold split = fold(us.subList(0, 3), 0.5).merge(fold(us.subList(3, 6), 0.5));
        float[] mean = split.mean(global(4)).flat();
        assertEquals(List.of("heavy"), split.weightCaps().stream().map(WeightCaps.Capped::siteId).toList());
        assertEquals(0.5, split.weightCaps().getFirst().share(), 1e-12);
        for (int i = 0; i < 4; i++) {
            double s = 0;
            double w = 0;
            for (int k = 0; k < us.size(); k++) {
                s += capped[k] * us.get(k).x()[i];
                w += capped[k];
            }
            assertEquals((float) (s / w), mean[i], 1e-6f * Math.max(1f, Math.abs(mean[i])), "coordinate " + i);
        }
        assertArrayEquals(mean, fold(us, 0.5).mean(global(4)).flat(), "split or not, the same model");
    }

    @Test
    void aFoldGivesTheWeightedMeanAggregatorsResultToFloatRounding() throws Exception {
        List<Update> us = updates(40, 12, 13);
        ModelParameters g = global(12);
        WeightedMeanAggregator agg = new WeightedMeanAggregator(new UpdateIntake(g, 1), SiteWeighting.SAMPLE_COUNT, 1.0,
                1.0);
        assertTrue(agg.foldRule().isPresent());
        for (Update u : us) {
            agg.accept(new FitResult(u.site(), TaskId.fit(1, u.site()).toString(), ModelParameters.ofFlat(g.layout(),
                    u.x()), false, (long) u.a(), 1.0, Map.of()));
        }
        agg.close();
        float[] streamed = agg.result().flat();
        WeightedMeanAggregator folded = new WeightedMeanAggregator(new UpdateIntake(g, 1), SiteWeighting.SAMPLE_COUNT,
                1.0, 1.0);
        folded.acceptFolded(fold(us, 1.0));
        float[] fromFold = folded.result().flat();
        for (int i = 0; i < 12; i++) {
            assertEquals(streamed[i], fromFold[i], 1e-6f * Math.max(1f, Math.abs(streamed[i])), "coordinate " + i);
        }
        assertEquals(40, folded.accepted());
    }

    @Test
    void aNormBoundOrAFunctionWeightingGivesNoFoldRule() {
        ModelParameters g = global(3);
        assertTrue(new WeightedMeanAggregator(new UpdateIntake(g, 1, 5.0), SiteWeighting.SAMPLE_COUNT, 1.0, 1.0)
                .foldRule().isEmpty());
        assertTrue(new WeightedMeanAggregator(new UpdateIntake(g, 1), r -> 1.0, 1.0, 1.0).foldRule().isEmpty());
        assertTrue(new org.fedmed.core.strategy.robust.AggregationRule.TrimmedMean(0.1).newAggregator(g, 1).foldRule()
                .isEmpty());
        assertTrue(new org.fedmed.core.strategy.robust.AggregationRule.Median().newAggregator(g, 1).foldRule().isEmpty());
    }

    @Test
    void regionalAggregatesFoldedTogetherGiveTheFlatMeanToFloatRoundingInAnyOrder() {
        List<Update> us = updates(90, 6, 17);
        ModelParameters g = global(6);
        float[] flat = fold(us, 1.0).mean(g).flat();
        LinearFold twoTier = new LinearFold(6, 1.0);
        LinearFold reversed = new LinearFold(6, 1.0);
        List<LinearFold> regions = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            regions.add(LinearFold.regional("r" + r, fold(us.subList(30 * r, 30 * r + 30), 1.0), g));
        }
        for (int r = 0; r < 3; r++) {
            twoTier.merge(regions.get(r));
        }
        List<LinearFold> again = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            again.add(LinearFold.regional("r" + r, fold(us.subList(30 * r, 30 * r + 30), 1.0), g));
        }
        for (int r = 2; r >= 0; r--) {
            reversed.merge(again.get(r));
        }
        assertEquals(90, twoTier.count());
        float[] a = twoTier.mean(g).flat();
        assertArrayEquals(a, reversed.mean(g).flat(), "the regions' order does not matter");
        for (int i = 0; i < 6; i++) {
            assertEquals(flat[i], a[i], 4 * Math.ulp(Math.max(1f, Math.abs(flat[i]))), "coordinate " + i);
        }
    }

    @Test
    void aFoldByRegionRefusesAShareCap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FoldRule(SiteWeighting.SAMPLE_COUNT, 0.5).inRegions());
        assertTrue(e.getMessage().contains("max_site_weight_share 0.5"), e.getMessage());
    }
}
