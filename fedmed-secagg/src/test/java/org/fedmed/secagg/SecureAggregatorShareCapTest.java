package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

/** Under secure aggregation too, a site claiming a billion examples holds at most its share of the sum. */
class SecureAggregatorShareCapTest {

    static ModelParameters vector(float... v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{v.length}, v)));
    }

    @Test
    void theLiarsCountIsCappedBeforeTheMaskedSum() throws Exception {
        SecureSumConfig config = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 48, 4.0,
                RingQuantizer.Rounding.STOCHASTIC, SecureSumConfig.Weighting.SAMPLE_COUNT, 0, 0);
        ModelParameters global = vector(0, 0);
        SecureAggregator agg = new SecureAggregator(global, new SecureUpdateSum(config,
                RandomnessSource.seededForSimulation(5)), 1.0, 1, 9, 0.5);
        agg.accept(new FitResult("a", "r1-fit-a", vector(1, 1), true, 100, 1.0, Map.of()));
        agg.accept(new FitResult("b", "r1-fit-b", vector(2, 2), true, 200, 1.0, Map.of()));
        agg.accept(new FitResult("c", "r1-fit-c", vector(3, 3), true, 300, 1.0, Map.of()));
        agg.accept(new FitResult("liar", "r1-fit-liar", vector(-3, -3), true, 1_000_000_000, 1.0, Map.of()));
        ModelParameters next = agg.result();
        // liar capped at 600: (100 + 400 + 900 - 1800) / 1200
        double expected = (100 * 1 + 200 * 2 + 300 * 3 - 600 * 3) / 1200.0;
        assertEquals(expected, next.flat()[0], 1e-3);
        assertEquals(1, agg.weightCaps().size());
        assertEquals("liar", agg.weightCaps().getFirst().siteId());
        assertEquals(600, agg.weightCaps().getFirst().cappedWeight(), 0);
        assertEquals(0.5, agg.weightCaps().getFirst().share(), 1e-12);
    }
}
