package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
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
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.junit.jupiter.api.Test;

class SecureAggregationStrategyTest {

    record StepSite(String siteId, float step) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            float[] w = t.global().copyFlat();
            for (int i = 0; i < w.length; i++) w[i] += step * (i + 1) / 100f;
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, 10, 1, Map.of());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(siteId, t.taskId(), 1, Map.of("log_loss", 1.0));
        }
    }

    @Test
    void engineOverSecureAggregationMatchesThePlainUniformMeanWithinQuantizationError() {
        List<StepSite> sites = new ArrayList<>();
        for (int i = 0; i < 6; i++) sites.add(new StepSite("site-" + i, 0.1f * (i - 2)));
        ModelParameters init = ModelParameters.of(List.of(new Tensor("w", new int[]{50}, new float[50])));
        var fedavg = new FederatedAveraging(SiteWeighting.UNIFORM, SiteSelection.all(1),
                new FitConfig(1, 8, 0.1, true, 0), 1.0);
        var secure = new SecureAggregationStrategy(fedavg, SecureSumConfig.defaults(), 1.0);
        float[] plain, masked;
        try (var pool = new InProcessSitePool(sites, 2);
             var held = new InProcessSitePool(sites, 2,
                     new SecureSumParticipants(RandomnessSource.seededForSimulation(3)))) {
            plain = new RoundEngine(fedavg, pool, EngineConfig.of(StoppingRule.rounds(3), 1), null).run(init).finalModel().flat();
            masked = new RoundEngine(secure, held, EngineConfig.of(StoppingRule.rounds(3), 1), null).run(init).finalModel().flat();
        }
        assertEquals("uniform+secagg+", secure.name());
        assertTrue(Math.abs(plain[49]) > 0.01, "the model moved");
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], masked[i], 1e-5, "index " + i);
        }
    }

    @Test
    void aRoundNeedsAtLeastThreeSites() {
        var fedavg = new FederatedAveraging(SiteWeighting.UNIFORM, SiteSelection.all(1),
                new FitConfig(1, 8, 0.1, true, 0), 1.0);
        assertEquals(3, new SecureAggregationStrategy(fedavg, SecureSumConfig.defaults(), 1.0).minFitSites());
    }
    /** FedAvgM that counts the fits it configured, state it keeps as DP-FedAvg keeps its account. */
    static final class CountingFits extends ForwardingStrategy {
        int configured;

        CountingFits(Strategy inner) {
            super(inner);
        }

        @Override
        public List<FitTask> configureFit(RoundContext c) {
            configured++;
            return super.configureFit(c);
        }

        @Override
        public StrategyState state() {
            return new StrategyState(Map.of(), Map.of("counting.fits", Integer.toString(configured)))
                    .merge(super.state());
        }

        @Override
        public void restore(StrategyState state) {
            configured = Integer.parseInt(state.values().get("counting.fits"));
            super.restore(state.part("server_optimizer."));
        }
    }

    @Test
    void theInnerStrategysStateIsCheckpointedBesideTheSecureAggregationsServerOptimizer() {
        List<StepSite> sites = new ArrayList<>();
        for (int i = 0; i < 4; i++) sites.add(new StepSite("site-" + i, 0.1f * (i - 1)));
        ModelParameters init = ModelParameters.of(List.of(new Tensor("w", new int[]{8}, new float[8])));
        ServerOptimizerSettings momentum = new ServerOptimizerSettings(ServerOptimizerSettings.Kind.MOMENTUM, 1.0, 0.5,
                0.9, 0.99, 1e-3);
        FitConfig fit = new FitConfig(1, 8, 0.1, true, 0);
        CountingFits counting = new CountingFits(new FederatedAveraging("fedavgm", SiteWeighting.UNIFORM,
                SiteSelection.all(1), fit, momentum, 0));
        var secure = new SecureAggregationStrategy(counting, SecureSumConfig.defaults(), Duration.ofSeconds(30),
                momentum);
        try (var held = new InProcessSitePool(sites, 2,
                new SecureSumParticipants(RandomnessSource.seededForSimulation(3)))) {
            new RoundEngine(secure, held, EngineConfig.of(StoppingRule.rounds(2), 1), null).run(init);
        }
        StrategyState state = secure.state();
        assertEquals("2", state.values().get("counting.fits"), "the inner strategy's own state: " + state.values());
        assertEquals("2", state.values().get("server_optimizer.steps"), "the optimizer that stepped is the secure one's");
        float[] m = state.vectors().get("server_optimizer.m");
        assertNotEquals(0f, m[7], "the momentum moved");

        CountingFits fresh = new CountingFits(new FederatedAveraging("fedavgm", SiteWeighting.UNIFORM,
                SiteSelection.all(1), fit, momentum, 0));
        var resumed = new SecureAggregationStrategy(fresh, SecureSumConfig.defaults(), Duration.ofSeconds(30),
                momentum);
        resumed.restore(state);
        assertEquals(2, fresh.configured);
        assertEquals(state.values(), resumed.state().values());
        assertArrayEquals(m, resumed.state().vectors().get("server_optimizer.m"));
    }
}
