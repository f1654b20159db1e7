package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.secagg.exchange.ExchangedSecureSum;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

/** Under secure aggregation too, a site claiming a billion examples holds at most its share of the sum. */
class SecureAggregatorShareCapTest {

    static ModelParameters vector(float... v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{v.length}, v)));
    }

    /** A site whose update is a fixed delta, with a claimed example count. */
    record FixedSite(String siteId, float value, long count) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            return new FitResult(siteId, t.taskId(), vector(value, value), true, count, 1.0, Map.of());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theLiarsCountIsCappedBeforeTheMaskedSum() throws Exception {
        SecureSumConfig config = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 48, 4.0,
                RingQuantizer.Rounding.STOCHASTIC, SecureSumConfig.Weighting.SAMPLE_COUNT, 0, 0);
        ModelParameters global = vector(0, 0);
        List<FixedSite> sites = List.of(new FixedSite("a", 1, 100), new FixedSite("b", 2, 200),
                new FixedSite("c", 3, 300), new FixedSite("liar", -3, 1_000_000_000));
        FitConfig fit = new FitConfig(1, 8, 0.1, true, 0);
        try (var pool = new InProcessSitePool(sites, 2,
                new SecureSumParticipants(RandomnessSource.seededForSimulation(5)))) {
            SecureAggregator agg = new SecureAggregator(global, new ExchangedSecureSum(config, Duration.ofSeconds(30)),
                    pool, true, 1.0, 1, 9, 0.5);
            List<FitTask> tasks = sites.stream()
                    .map(s -> new FitTask(1, s.siteId(), global, fit).withRelease(UpdateRelease.SECURE_SUM)).toList();
            pool.fit(tasks, Duration.ofSeconds(30), new OutcomeSink<>() {
                @Override
                public void success(FitResult r) {
                    try {
                        agg.accept(r);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }

                @Override
                public void failure(SiteFailure f) {
                    throw new AssertionError(f.toString());
                }
            });
            assertEquals(List.of(), agg.close());
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
}
