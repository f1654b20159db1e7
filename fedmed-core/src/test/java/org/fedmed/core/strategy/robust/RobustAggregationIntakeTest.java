package org.fedmed.core.strategy.robust;

import static org.fedmed.core.strategy.robust.RobustFixtures.GLOBAL;
import static org.fedmed.core.strategy.robust.RobustFixtures.fiveAroundTheGlobal;
import static org.fedmed.core.strategy.robust.RobustFixtures.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

/** What every robust rule shares: order independence, bit for bit, and refusals that leave nothing behind. */
class RobustAggregationIntakeTest {

    static final List<AggregationRule> RULES = List.of(new AggregationRule.Median(),
            new AggregationRule.TrimmedMean(0.2), new AggregationRule.Krum(2), new AggregationRule.MultiKrum(2, 4));

    static ModelParameters combine(AggregationRule rule, ModelParameters global, List<FitResult> updates)
            throws UpdateRejectedException {
        Aggregator agg = rule.newAggregator(global, 1);
        for (FitResult u : updates) {
            agg.accept(u);
        }
        return agg.result();
    }

    @Test
    void theSameUpdatesInAnyArrivalOrderGiveBitIdenticalResults() throws Exception {
        Random rnd = new Random(11);
        int p = 64;
        float[] g = new float[p];
        for (int i = 0; i < p; i++) {
            g[i] = (float) rnd.nextGaussian();
        }
        ModelParameters global = params(g);
        List<FitResult> updates = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            float[] v = new float[p];
            for (int i = 0; i < p; i++) {
                v[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextDouble() * 6 - 3));
            }
            boolean delta = k % 2 == 0;
            updates.add(new FitResult("site" + k, "r1-fit-site" + k, params(v), delta, 1 + k, 1.0, Map.of()));
        }
        for (AggregationRule rule : RULES) {
            ModelParameters reference = combine(rule, global, updates);
            for (int t = 0; t < 12; t++) {
                List<FitResult> shuffled = new ArrayList<>(updates);
                Collections.shuffle(shuffled, new Random(100 + t));
                assertEquals(reference, combine(rule, global, shuffled), rule + ", shuffle " + t);
            }
        }
    }

    @Test
    void aRefusedUpdateLeavesTheAggregateAsIfItNeverCame() throws Exception {
        ModelParameters wrongLayout = ModelParameters.of(List.of(new Tensor("v", new int[]{3}, new float[]{0, 0, 0})));
        List<FitResult> bad = List.of(
                RobustFixtures.weights("nan", Float.NaN, 0, 0),
                RobustFixtures.delta("inf", Float.POSITIVE_INFINITY, 0, 0),
                new FitResult("late", "r2-fit-late", params(1, 2, 3), false, 10, 1.0, Map.of()),
                new FitResult("shape", "r1-fit-shape", wrongLayout, false, 10, 1.0, Map.of()),
                RobustFixtures.weights("a", 500, 500, 500));
        List<AggregationRule> rules = List.of(new AggregationRule.Median(), new AggregationRule.TrimmedMean(0.2),
                new AggregationRule.Krum(1), new AggregationRule.MultiKrum(1, 3));
        for (AggregationRule rule : rules) {
            ModelParameters clean = combine(rule, GLOBAL, fiveAroundTheGlobal());
            Aggregator agg = rule.newAggregator(GLOBAL, 1);
            List<FitResult> five = fiveAroundTheGlobal();
            for (int k = 0; k < five.size(); k++) {
                agg.accept(five.get(k));
                FitResult refused = bad.get(k);
                UpdateRejectedException e = assertThrows(UpdateRejectedException.class, () -> agg.accept(refused),
                        rule + " took " + refused.siteId());
                assertEquals(refused.siteId(), e.siteId());
                assertEquals(k + 1, agg.accepted(), rule + " counted a refused update");
            }
            assertEquals(clean, agg.result(), rule.toString());
        }
    }

    @Test
    void aSecondUpdateFromOneSiteIsRefusedNamingTheRound() throws Exception {
        Aggregator agg = new AggregationRule.Median().newAggregator(GLOBAL, 1);
        agg.accept(RobustFixtures.weights("a", 1, 1, 1));
        UpdateRejectedException e = assertThrows(UpdateRejectedException.class,
                () -> agg.accept(RobustFixtures.weights("a", 9, 9, 9)));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("round 1"), e.getMessage());
        assertEquals(1, agg.accepted());
        assertEquals(params(1, 1, 1), agg.result());
    }

    @Test
    void theResultIsTheCombinedModelWithNoStepTowardsIt() throws Exception {
        // a single update: every rule that accepts one returns it exactly, not a step from the global model to it
        for (AggregationRule rule : List.of(new AggregationRule.Median(), new AggregationRule.TrimmedMean(0.4),
                new AggregationRule.Krum(0), new AggregationRule.MultiKrum(0, 3))) {
            List<FitResult> three = List.of(RobustFixtures.weights("a", 7, 8, 9),
                    RobustFixtures.weights("b", 7, 8, 9), RobustFixtures.delta("c", 6, 6, 6));
            ModelParameters out = combine(rule, GLOBAL, three);
            assertEquals(params(7, 8, 9), out, rule.toString());
            assertNotEquals(GLOBAL, out);
        }
    }
}
