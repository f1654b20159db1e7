package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.FitConfig;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.SortedSiteIds;
import org.junit.jupiter.api.Test;

/** An in-process pool over a population builds the sites a round names, and only those. */
class LazySitePoolTest {

    private static SortedSiteIds population(int n) {
        return SortedSiteIds.computed(n, i -> String.format("p%06d", i), id -> Integer.parseInt(id.substring(1)));
    }

    @Test
    void aRoundBuildsOnlyItsSampledAndEvaluatedSitesAndTheCacheStaysWithinItsBound() {
        AtomicInteger builds = new AtomicInteger();
        Set<String> built = ConcurrentHashMap.newKeySet();
        List<String> evaluated = List.of("p000001", "p000002");
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.count(6, 1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
        RunResult result;
        SiteTimes times;
        try (InProcessSitePool pool = InProcessSitePool.lazy(population(1_000_000), evaluated, id -> {
            builds.incrementAndGet();
            built.add(id);
            return new RoundEngineTest.TargetSite(id, 2, 10);
        }, 4, 2)) {
            result = new RoundEngine(fedavg, pool, EngineConfig.of(StoppingRule.rounds(3), 11), null)
                    .run(RoundEngineTest.zero());
            times = pool.takeTimes();
        }
        // 3 rounds of 6 sampled sites plus 2 evaluated sites each round: at most 24 builds, at least the 6+2 distinct
        // sites of one round; the evaluated ones are rebuilt after eviction, since only 4 stay cached
        assertTrue(builds.get() <= 24 && builds.get() >= 8, "builds " + builds.get());
        assertTrue(built.containsAll(evaluated));
        assertEquals(builds.get(), times.sitesBuilt());
        assertEquals(3, result.rounds().size());
        for (RoundRecord r : result.rounds()) {
            assertEquals(6, r.selected().size());
            assertEquals(2, r.siteEvalMetrics().size(), "evaluated on the two evaluation sites only");
        }
        assertTrue(built.size() <= 3 * 6 + 2, "distinct sites built " + built.size());
    }

    @Test
    void aSiteOutsideThePopulationIsAnUnknownSite() {
        List<SiteFailure> failures = new java.util.ArrayList<>();
        try (InProcessSitePool pool = InProcessSitePool.lazy(population(10), List.of(),
                id -> new RoundEngineTest.TargetSite(id, 1, 1), 0, 1)) {
            pool.evaluate(List.of(new org.fedmed.core.EvalTask(1, "p000099", RoundEngineTest.zero())),
                    java.time.Duration.ofSeconds(5), new OutcomeSink<>() {
                        @Override
                        public void success(org.fedmed.core.EvalResult r) {
                        }

                        @Override
                        public void failure(SiteFailure f) {
                            failures.add(f);
                        }
                    });
        }
        assertEquals(1, failures.size());
        assertEquals("unknown site", failures.getFirst().reason());
    }
}
