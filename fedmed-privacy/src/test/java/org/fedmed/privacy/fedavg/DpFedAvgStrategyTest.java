package org.fedmed.privacy.fedavg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;

class DpFedAvgStrategyTest {

    private static final FitConfig FIT = new FitConfig(1, 8, 0.1, true, 0);
    private static final double DELTA = 1e-5;

    /** A site that always proposes the same step from whatever global model it gets. */
    record FixedStepSite(String siteId, float[] step) implements SiteClient {
        @Override
        public FitResult fit(FitTask task) {
            float[] w = task.global().copyFlat();
            for (int i = 0; i < w.length; i++) {
                w[i] += step[i];
            }
            return new FitResult(siteId, task.taskId(), ModelParameters.ofFlat(task.global().layout(), w), false, 20,
                    1.0, Map.of());
        }

        @Override
        public EvalResult evaluate(EvalTask task) {
            return new EvalResult(siteId, task.taskId(), 5, Map.of("log_loss", 1.0));
        }
    }

    /** A noise source that draws nothing, to check the arithmetic around the noise. */
    static final NoiseSource SILENT = key -> new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextGaussian() {
            return 0;
        }
    };

    private static DpFedAvgConfig config(SiteSampler sampler, int population, ClippingPolicy clipping, double z,
                                         double targetEpsilon, int rounds, int minFitSites, double serverLr) {
        return new DpFedAvgConfig(FIT, sampler, population, clipping, z, targetEpsilon, DELTA, rounds, minFitSites,
                serverLr);
    }

    private static RunResult run(DpFedAvgStrategy strategy, List<? extends SiteClient> sites, ModelParameters initial,
                                 int rounds, long seed) {
        try (InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            return new RoundEngine(strategy, pool, EngineConfig.of(StoppingRule.rounds(rounds), seed), null).run(initial);
        }
    }

    private static List<FixedStepSite> sites(int n, float... step) {
        List<FixedStepSite> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(new FixedStepSite("site-" + i, step));
        }
        return s;
    }

    @Test
    void aPlanBeyondTheBudgetIsRefusedBeforeAnyRoundSayingWhatWouldFit() {
        double q = 0.5;
        double z = 1.0;
        long fit = RdpAccountant.maxSteps(4.0, DELTA, q, z);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DpFedAvgStrategy(
                config(new PoissonSiteSampler(q), 10, new ClippingPolicy.Fixed(1), z, 4.0, (int) fit + 1, 1, 1),
                NoiseSource.seeded(1)));
        assertTrue(e.getMessage().contains("at most " + fit + " round(s) fit"), e.getMessage());
        assertTrue(e.getMessage().contains("raise noise_multiplier to at least"), e.getMessage());
        assertTrue(e.getMessage().contains("target_epsilon 4"), e.getMessage());

        double planned = DpFedAvgStrategy.checkBudget(4.0, DELTA, q, z, (int) fit).epsilon();
        assertTrue(planned <= 4.0);
    }

    @Test
    void theBudgetLineNamesATargetOnlyWhenOneIsSet() {
        DpFedAvgStrategy unbounded = new DpFedAvgStrategy(config(new PoissonSiteSampler(0.5), 6,
                new ClippingPolicy.Fixed(1), 1.2, Double.POSITIVE_INFINITY, 5, 1, 1), NoiseSource.seeded(7));
        assertTrue(unbounded.budgetStatus().startsWith("spent epsilon 0.000 at delta "), unbounded.budgetStatus());
        assertTrue(unbounded.budgetStatus().endsWith("after 0 round(s), no target_epsilon"), unbounded.budgetStatus());
        DpFedAvgStrategy bounded = new DpFedAvgStrategy(config(new PoissonSiteSampler(0.5), 6,
                new ClippingPolicy.Fixed(1), 1.2, 50, 5, 1, 1), NoiseSource.seeded(7));
        assertTrue(bounded.budgetStatus().startsWith("spent epsilon 0.000 of target 50.00 at delta "),
                bounded.budgetStatus());
        assertEquals(50, bounded.targetEpsilon());
    }

    @Test
    void epsilonIsReportedAfterEveryRoundAndMatchesTheAccountant() {
        double q = 0.5;
        double z = 1.2;
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new PoissonSiteSampler(q), 6, new ClippingPolicy.Fixed(1), z, 50, 5, 1, 1), NoiseSource.seeded(7));
        assertEquals(0, strategy.epsilonSpent());
        run(strategy, sites(6, 0.3f, -0.1f), Updates.zeros(2), 5, 11);
        List<RoundPrivacy> history = strategy.history();
        assertEquals(5, history.size());
        for (int i = 0; i < 5; i++) {
            RoundPrivacy r = history.get(i);
            assertEquals(i + 1, r.round());
            assertEquals(q, r.samplingRate());
            assertEquals(new RdpAccountant().step(q, z, i + 1).epsilon(DELTA).epsilon(), r.epsilon(), 1e-12);
        }
        assertEquals(history.getLast().epsilon(), strategy.epsilonSpent(), 1e-12);
        assertEquals(5, strategy.accountant().steps());
    }

    @Test
    void theRoundThatWouldExceedTheBudgetIsRefusedAndAnnouncedBeforehand() {
        double q = 0.3;
        double z = 0.9;
        int fits = 4;
        double target = 0.5 * (new RdpAccountant().step(q, z, fits).epsilon(DELTA).epsilon()
                + new RdpAccountant().step(q, z, fits + 1).epsilon(DELTA).epsilon());
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new PoissonSiteSampler(q), 10, new ClippingPolicy.Fixed(1), z, target, fits, 1, 1),
                NoiseSource.seeded(1));
        List<String> available = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        for (int round = 1; round <= fits; round++) {
            assertTrue(strategy.canRunAnotherRound(), "round " + round);
            assertTrue(strategy.stopBefore(round).isEmpty(), "round " + round);
            RoundContext c = new RoundContext(round, Updates.zeros(2), available, 3);
            strategy.newAggregator(c);
            strategy.configureFit(c);
        }
        assertFalse(strategy.canRunAnotherRound());
        RoundContext next = new RoundContext(fits + 1, Updates.zeros(2), available, 3);
        PrivacyBudgetExhaustedException e = assertThrows(PrivacyBudgetExhaustedException.class,
                () -> strategy.configureFit(next));
        assertTrue(e.getMessage().contains("round " + (fits + 1) + " refused"), e.getMessage());
        assertTrue(strategy.epsilonSpent() <= target);
        assertEquals(fits, strategy.history().size());
        assertTrue(strategy.budgetStatus().contains("after " + fits + " round(s)"), strategy.budgetStatus());
    }

    @Test
    void theEngineStopsBeforeTheRoundThatWouldExceedTheBudget() {
        double q = 0.5;
        double z = 1.0;
        int fits = 3;
        double target = 0.5 * (new RdpAccountant().step(q, z, fits).epsilon(DELTA).epsilon()
                + new RdpAccountant().step(q, z, fits + 1).epsilon(DELTA).epsilon());
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new PoissonSiteSampler(q), 6, new ClippingPolicy.Fixed(1), z, target, fits, 1, 1),
                NoiseSource.seeded(5));
        RunResult result = run(strategy, sites(6, 0.2f, 0.2f), Updates.zeros(2), fits + 5, 3);
        assertEquals(RunResult.StopReason.STRATEGY, result.stopReason());
        assertEquals(fits, result.rounds().size());
        assertTrue(result.stopDetail().contains("privacy budget: round " + (fits + 1)), result.stopDetail());
        assertTrue(strategy.epsilonSpent() <= target);
        assertTrue(strategy.stopBefore(fits + 1).isPresent());
    }

    @Test
    void withoutNoiseTheNewModelIsTheClippedDeltasOverTheExpectedCountTimesTheServerRate() {
        List<SiteClient> sites = List.of(new FixedStepSite("a", new float[]{3, 4}),
                new FixedStepSite("b", new float[]{0.1f, 0}), new FixedStepSite("c", new float[]{0, -0.2f}));
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new FixedSizeSiteSampler(3), 3, new ClippingPolicy.Fixed(1), 1.0, 100, 1, 1, 0.5), SILENT);
        RunResult result = run(strategy, sites, Updates.model(1, 1), 1, 5);
        // a's step (3, 4) is clipped to (0.6, 0.8); the sum (0.7, 0.6) over 3 expected sites, times server rate 0.5.
        assertArrayEquals(new float[]{1 + 0.5f * 0.7f / 3, 1 + 0.5f * 0.6f / 3}, result.finalModel().flat(), 1e-6f);
        assertEquals(1.0, strategy.history().getFirst().samplingRate());
    }

    @Test
    void theSameSeedsGiveTheSameRunAndAnotherNoiseSeedAnother() {
        DpFedAvgConfig cfg = config(new PoissonSiteSampler(0.6), 8, new ClippingPolicy.Fixed(0.5), 1.0, 100, 3, 1, 1);
        ModelParameters a = run(new DpFedAvgStrategy(cfg, NoiseSource.seeded(1)), sites(8, 1, 1, 1), Updates.zeros(3),
                3, 9).finalModel();
        ModelParameters b = run(new DpFedAvgStrategy(cfg, NoiseSource.seeded(1)), sites(8, 1, 1, 1), Updates.zeros(3),
                3, 9).finalModel();
        ModelParameters c = run(new DpFedAvgStrategy(cfg, NoiseSource.seeded(2)), sites(8, 1, 1, 1), Updates.zeros(3),
                3, 9).finalModel();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void adaptiveClippingRaisesTheClipNormWhileEveryUpdateIsClipped() {
        ClippingPolicy adaptive = new ClippingPolicy.Adaptive(0.1, 0.5, 0.2, 0.3);
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new FixedSizeSiteSampler(4), 4, adaptive, 0.5, 1e4, 6, 1, 1), NoiseSource.seeded(4));
        assertTrue(strategy.deltaNoiseMultiplier() > 0.5);
        run(strategy, sites(4, 10, 10), Updates.zeros(2), 6, 2);
        List<RoundPrivacy> h = strategy.history();
        assertEquals(0.1, h.getFirst().clipNorm(), 1e-12);
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i).clipNorm() > h.get(i - 1).clipNorm(), "round " + (i + 1) + ": " + h);
        }
        assertTrue(strategy.currentClipNorm() > h.getLast().clipNorm());
    }

    @Test
    void withMinFitSitesZeroARoundWithNoDeliveryStillReleasesNoiseOnly() {
        SiteClient failing = new SiteClient() {
            @Override
            public String siteId() {
                return "down";
            }

            @Override
            public FitResult fit(FitTask task) {
                throw new IllegalStateException("site offline");
            }

            @Override
            public EvalResult evaluate(EvalTask task) {
                throw new IllegalStateException("site offline");
            }
        };
        DpFedAvgStrategy strategy = new DpFedAvgStrategy(
                config(new FixedSizeSiteSampler(1), 1, new ClippingPolicy.Fixed(1), 1.0, 100, 1, 0, 1),
                NoiseSource.seeded(3));
        RunResult result = run(strategy, List.of(failing), Updates.zeros(4), 1, 1);
        assertTrue(result.rounds().getFirst().completed());
        assertNotEquals(Updates.zeros(4), result.finalModel());
        assertEquals(1, strategy.history().size());
    }

    @Test
    void localPlacementLeavesNoiseToTheSitesAndTheServerOnlyAverages() {
        var cfg = config(new FixedSizeSiteSampler(4), 4, new ClippingPolicy.Fixed(1), 1.0, Double.POSITIVE_INFINITY, 1, 1, 1);
        ModelParameters initial = ModelParameters.ofFlat(
                org.fedmed.core.ParameterLayout.of(List.of("w"), List.of(new int[]{2})), new float[2]);
        // Silent noise everywhere: central placement would still only add zeros, so compare against a site that
        // actually noises its update through the strategy's site filters.
        DpFedAvgStrategy local = new DpFedAvgStrategy(cfg, SILENT, NoisePlacement.LOCAL);
        assertEquals("dp-fedavg-local", local.name());
        List<SiteClient> noisy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            noisy.add(new org.fedmed.core.filter.FilteredSiteClient(new FixedStepSite("site-" + i, new float[]{0.3f, 0.4f}),
                    local.siteFilters(100 + i)));
        }
        RunResult withSiteNoise = run(local, noisy, initial, 1, 3);
        RunResult noiseless = run(new DpFedAvgStrategy(cfg, SILENT, NoisePlacement.LOCAL), sites(4, 0.3f, 0.4f), initial, 1, 3);
        assertArrayEquals(new float[]{0.3f, 0.4f}, noiseless.finalModel().flat(), 1e-6f,
                "with no site noise the server adds none: the mean step comes back exactly");
        assertNotEquals(0.3f, withSiteNoise.finalModel().flat()[0], 1e-3f, "site-side noise reaches the average");
        assertTrue(Double.isFinite(local.epsilonSpent()), "the run is still accounted");
    }

    @Test
    void localPlacementRefusesAdaptiveClipping() {
        var cfg = config(new FixedSizeSiteSampler(2), 4, new ClippingPolicy.Adaptive(1, 0.5, 0.2, 1), 1.0, 10, 1, 1, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> new DpFedAvgStrategy(cfg, SILENT, NoisePlacement.LOCAL));
        assertTrue(e.getMessage().contains("adaptive"), e.getMessage());
    }

    @Test
    void distributedPlacementGivesEachSiteItsShareOfTheCentralNoise() throws Exception {
        int m = 4;
        double z = 2.0, clip = 1.0;
        // min_fit_sites = m: a sum is released only with all m shares, so each is exactly 1/m of the central variance
        var cfg = config(new FixedSizeSiteSampler(m), m, new ClippingPolicy.Fixed(clip), z, Double.POSITIVE_INFINITY, 1, m, 1);
        DpFedAvgStrategy distributed = new DpFedAvgStrategy(cfg, SILENT, NoisePlacement.DISTRIBUTED);
        assertEquals("dp-fedavg-distributed", distributed.name());
        int p = 20_000;
        ModelParameters global = ModelParameters.ofFlat(
                org.fedmed.core.ParameterLayout.of(List.of("w"), List.of(new int[]{p})), new float[p]);
        FitResult zero = new FitResult("site-0", "r1-fit-site-0", global, true, 10, 1.0, Map.of());
        FitResult noised = zero;
        for (var f : distributed.siteFilters(5)) {
            noised = f.apply(noised, global);
        }
        double sumSq = 0;
        for (float v : noised.parameters().flat()) sumSq += (double) v * v;
        double std = Math.sqrt(sumSq / p);
        double expected = z * clip / Math.sqrt(m);
        // the sample standard deviation of 20,000 normals is within 3% of the truth with overwhelming probability
        assertEquals(expected, std, 0.03 * expected);
    }
}
