package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

class SecureUpdateSumTest {

    static ModelParameters model(float[] w, float[] b) {
        return ModelParameters.of(List.of(new Tensor("w", new int[] {2, 3}, w), new Tensor("b", new int[] {3}, b)));
    }

    static ModelParameters random(SplittableRandom r, double scale) {
        float[] w = new float[6];
        float[] b = new float[3];
        for (int i = 0; i < 6; i++) {
            w[i] = (float) (scale * r.nextDouble(-1, 1));
        }
        for (int i = 0; i < 3; i++) {
            b[i] = (float) (scale * r.nextDouble(-1, 1));
        }
        return model(w, b);
    }

    final SplittableRandom rnd = new SplittableRandom(12);
    final ModelParameters global = random(rnd, 1);

    List<FitResult> cohort(int n) {
        List<FitResult> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            ModelParameters delta = random(rnd, 0.5);
            boolean sendsDelta = k % 2 == 0;
            ModelParameters sent = delta;
            if (!sendsDelta) {
                float[] full = delta.copyFlat();
                for (int i = 0; i < full.length; i++) {
                    full[i] += global.flat()[i];
                }
                sent = ModelParameters.ofFlat(global.layout(), full);
            }
            out.add(new FitResult("site-" + (char) ('a' + k), "r1-fit-" + k, sent, sendsDelta, 10 + 5L * k, 1.0, Map.of()));
        }
        return out;
    }

    static float[] deltaOf(FitResult r, ModelParameters global) {
        float[] d = r.parameters().copyFlat();
        if (!r.isDelta()) {
            for (int i = 0; i < d.length; i++) {
                d[i] -= global.flat()[i];
            }
        }
        return d;
    }

    @Test
    void deltasOfTheSitesThatSubmittedAreSummedInTheGlobalLayout() {
        List<FitResult> updates = cohort(8);
        SecureDeltaSum s = new SecureUpdateSum(SecureSumConfig.defaults(), RandomnessSource.seededForSimulation(3))
                .sum(updates, global, Map.of("site-c", DropPoint.BEFORE_MASKED_INPUT, "site-f", DropPoint.BEFORE_UNMASKING),
                        1, 42);
        assertEquals(global.layout(), s.sum().layout());
        assertEquals(List.of("site-c"), s.droppedSites());
        assertEquals(7, s.includedSites().size());
        assertEquals(7, s.totalWeight());
        for (int i = 0; i < global.size(); i++) {
            double exact = 0;
            for (FitResult r : updates) {
                if (!r.siteId().equals("site-c")) {
                    exact += deltaOf(r, global)[i];
                }
            }
            // Full weights are turned into float deltas at the site, which costs up to an ulp of the weight.
            assertEquals(exact, s.sum().flat()[i], s.errorBound() + 8 * Math.ulp(2f), "index " + i);
            assertEquals(exact / 7, s.mean().flat()[i], (s.errorBound() + 8 * Math.ulp(2f)) / 7 + 1e-7);
        }
    }

    @Test
    void sampleCountWeightingSumsEachDeltaTimesItsExamples() {
        List<FitResult> updates = cohort(6);
        SecureSumConfig config = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 48, 1.0,
                RingQuantizer.Rounding.STOCHASTIC, SecureSumConfig.Weighting.SAMPLE_COUNT, 0, 0);
        SecureDeltaSum s = new SecureUpdateSum(config, RandomnessSource.seededForSimulation(4))
                .sum(updates, global, Map.of(), 2, 7);
        long totalExamples = updates.stream().mapToLong(FitResult::numExamples).sum();
        assertEquals(totalExamples, s.totalWeight());
        for (int i = 0; i < global.size(); i++) {
            double exact = 0;
            for (FitResult r : updates) {
                exact += r.numExamples() * (double) deltaOf(r, global)[i];
            }
            assertEquals(exact, s.sum().flat()[i], s.errorBound() + totalExamples * Math.ulp(2f) + Math.ulp((float) exact));
        }
    }

    @Test
    void abortNamesTheSitesNotJustTheirIds() {
        List<FitResult> updates = cohort(6);
        Map<String, DropPoint> drops = Map.of("site-a", DropPoint.BEFORE_MASKED_INPUT,
                "site-b", DropPoint.BEFORE_MASKED_INPUT, "site-c", DropPoint.BEFORE_MASKED_INPUT);
        var e = assertThrows(SecAggAbortedException.class, () -> new SecureUpdateSum(SecureSumConfig.defaults(),
                RandomnessSource.seededForSimulation(5)).sum(updates, global, drops, 3, 1));
        assertTrue(e.getMessage().contains("(site 'site-"), e.getMessage());
    }

    @Test
    void dropoutOfAnUnknownSiteIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SecureUpdateSum(SecureSumConfig.defaults(),
                RandomnessSource.system()).sum(cohort(4), global, Map.of("nowhere", DropPoint.BEFORE_SHARING), 1, 1));
        assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
    }
}
