package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

/** Two-tier aggregation: regions average first, the server combines them, and the result is flat FedAvg's. */
class RegionalAggregatorTest {

    private static final int P = 257;
    private static final Function<String, String> REGION = site -> "region-" + (Integer.parseInt(site.substring(5)) % 5);

    private static ModelParameters model(float[] v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[] {v.length}, v)));
    }

    /** 37 updates of P values, sizes 1..200, some as deltas. */
    private static List<FitResult> updates(int round) {
        SplittableRandom rng = new SplittableRandom(17);
        List<FitResult> out = new ArrayList<>();
        for (int s = 0; s < 37; s++) {
            float[] v = new float[P];
            for (int i = 0; i < P; i++) {
                v[i] = (float) (rng.nextGaussian() * 3 + s * 0.01);
            }
            String site = String.format("site-%02d", s);
            out.add(new FitResult(site, "r" + round + "-fit-" + site, model(v), s % 3 == 0, 1 + rng.nextInt(200), 1.0,
                    Map.of()));
        }
        return out;
    }

    private static float[] global() {
        float[] g = new float[P];
        for (int i = 0; i < P; i++) {
            g[i] = (float) Math.sin(i);
        }
        return g;
    }

    @Test
    void regionsThenServerEqualTheFlatWeightedMeanAndAnIndependentDoubleComputation() throws Exception {
        ModelParameters g = model(global());
        UpdateIntake intake = new UpdateIntake(g, 1);
        RegionalAggregator regional = new RegionalAggregator(REGION,
                () -> new WeightedMeanAggregator(intake, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1.0),
                SiteWeighting.SAMPLE_COUNT::weight, g);
        WeightedMeanAggregator flat = new WeightedMeanAggregator(g, SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1);
        for (FitResult u : updates(1)) {
            regional.accept(u);
            flat.accept(u);
        }
        regional.close();
        flat.close();
        float[] two = regional.result().flat();
        float[] one = flat.result().flat();

        double[] expected = new double[P];
        double total = 0;
        for (FitResult u : updates(1)) {
            float[] x = u.parameters().flat();
            for (int i = 0; i < P; i++) {
                expected[i] += u.numExamples() * (x[i] + (u.isDelta() ? global()[i] : 0.0));
            }
            total += u.numExamples();
        }
        double worstVsExact = 0;
        double worstVsFlat = 0;
        for (int i = 0; i < P; i++) {
            worstVsExact = Math.max(worstVsExact, Math.abs(two[i] - expected[i] / total));
            worstVsFlat = Math.max(worstVsFlat, Math.abs(two[i] - one[i]));
        }
        // values are O(3); float rounding of a mean of 37 terms stays well under 1e-5
        assertTrue(worstVsExact < 1e-5, "regional vs exact: " + worstVsExact);
        assertTrue(worstVsFlat < 1e-5, "regional vs flat: " + worstVsFlat);
        assertEquals(5, regional.regionWeights().size());
        assertEquals(total, regional.regionWeights().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void fedAvgWithRegionsGivesFlatFedAvgsModelWithinFloatRounding() throws Exception {
        FitConfig fit = new FitConfig(1, 8, 0.1, false, 0);
        FederatedAveraging flat = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1), fit, 1.0);
        FederatedAveraging tiered = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1), fit, 1.0)
                .withRegions(REGION);
        List<String> sites = updates(2).stream().map(FitResult::siteId).toList();
        RoundContext c = new RoundContext(2, model(global()), sites, 9);
        Aggregator a = flat.newAggregator(c);
        Aggregator b = tiered.newAggregator(c);
        assertEquals(sites, flat.configureFit(c).stream().map(FitTask::siteId).toList());
        for (FitResult u : updates(2)) {
            a.accept(u);
            b.accept(u);
        }
        a.close();
        b.close();
        float[] x = a.result().flat();
        float[] y = b.result().flat();
        for (int i = 0; i < P; i++) {
            assertEquals(x[i], y[i], 1e-5, "parameter " + i);
        }
    }

    @Test
    void aLateRefusalLeavesItsRegionsWeightAndTheResultAsWithoutIt() throws Exception {
        ModelParameters g = model(new float[] {0, 0});
        UpdateIntake intake = new UpdateIntake(g, 1);
        RegionalAggregator regional = new RegionalAggregator(s -> "r", () -> new WeightedMeanAggregator(intake,
                SiteWeighting.SAMPLE_COUNT::weight, 1.0, 1.0), SiteWeighting.SAMPLE_COUNT::weight, g);
        regional.accept(new FitResult("a", "r1-fit-a", model(new float[] {2, 4}), false, 1, 1.0, Map.of()));
        regional.accept(new FitResult("b", "r1-fit-b", model(new float[] {Float.NaN, 0}), false, 5, 1.0, Map.of()));
        regional.accept(new FitResult("c", "r1-fit-c", model(new float[] {4, 8}), false, 1, 1.0, Map.of()));
        var late = regional.close();
        assertEquals(List.of("b"), late.stream().map(UpdateRejectedException::siteId).toList());
        assertEquals(Map.of("r", 2.0), regional.regionWeights());
        float[] r = regional.result().flat();
        assertEquals(3, r[0], 1e-6);
        assertEquals(6, r[1], 1e-6);
    }

    @Test
    void aShareBoundOrARobustRuleIsRefusedForRegions() {
        FitConfig fit = new FitConfig(1, 8, 0.1, false, 0);
        FederatedAveraging tiered = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1), fit, 1.0)
                .withRegions(REGION);
        RoundContext capped = new RoundContext(1, model(global()), List.of("site-00"), 9,
                new InfluenceLimits(0.5, Double.POSITIVE_INFINITY));
        var e = assertThrows(IllegalStateException.class, () -> tiered.newAggregator(capped));
        assertTrue(e.getMessage().contains("max_site_weight_share"), e.getMessage());
        FederatedAveraging median = new FederatedAveraging("median", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1),
                fit, ServerOptimizerSettings.sgd(1.0), 0, new org.fedmed.core.strategy.robust.AggregationRule.Median(), 0);
        assertThrows(IllegalArgumentException.class, () -> median.withRegions(REGION));
    }
}
