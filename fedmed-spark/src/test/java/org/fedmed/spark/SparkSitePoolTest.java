package org.fedmed.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.fedmed.core.LabeledData;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Spark pool on an embedded local[2] context, one for the whole class, against the in-process pool. */
class SparkSitePoolTest {

    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = SparkContexts.open(SparkContexts.local(2), "fedmed-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static RunResult onSpark(org.fedmed.core.strategy.Strategy strategy, VirtualSites sites, int rounds) {
        try (SparkSitePool pool = PoolRuns.spark(spark, sites)) {
            return PoolRuns.run(strategy, pool, rounds);
        }
    }

    @Test
    void sparkAndInProcessPoolsGiveTheSameModelBitForBitOnAThousandSitesOverFiveRounds() {
        PopulationSites sites = PoolRuns.wearable(1000, 7);
        RunResult spark = onSpark(PoolRuns.fedAvg(120), sites, 5);
        RunResult local = PoolRuns.inProcess(PoolRuns.fedAvg(120), sites, 5);
        assertArrayEquals(local.finalModel().flat(), spark.finalModel().flat());
        assertFalse(Arrays.equals(PoolRuns.init(sites).flat(), spark.finalModel().flat()),
                "the control: training moved it");
        for (int r = 0; r < 5; r++) {
            RoundRecord a = local.rounds().get(r);
            RoundRecord b = spark.rounds().get(r);
            assertEquals(120, b.succeeded().size());
            assertEquals(a.succeeded(), b.succeeded(), "round " + (r + 1));
            assertEquals(a.fitMetrics(), b.fitMetrics(), "round " + (r + 1));
            assertEquals(a.evalMetrics(), b.evalMetrics(), "round " + (r + 1));
        }
        assertFalse(spark.rounds().getLast().evalMetrics().isEmpty(), "the control: the last round evaluated");
    }

    @Test
    void byRegionSparkFoldsByKeyAsTheInProcessPoolFoldsAndBothMatchTheRegionalAggregatorAndFlatToFloatRounding() {
        PopulationSites sites = PoolRuns.wearable(300, 5);
        float[] flat = onSpark(PoolRuns.fedAvg(60), sites, 2).finalModel().flat();
        float[] byKey = onSpark(PoolRuns.fedAvg(60).withRegions(sites::region), sites, 2).finalModel().flat();
        float[] folded = PoolRuns.inProcess(PoolRuns.fedAvg(60).withRegions(sites::region), sites, 2).finalModel()
                .flat();
        float[] streamed = PoolRuns.streamed(PoolRuns.fedAvg(60).withRegions(sites::region), sites, 2).finalModel()
                .flat();
        assertArrayEquals(folded, byKey, "by key on Spark and by region in process: the same folds");
        for (int i = 0; i < flat.length; i++) {
            float tolerance = 8 * Math.ulp(Math.max(Math.abs(flat[i]), 1f));
            assertEquals(flat[i], byKey[i], tolerance, "flat, coordinate " + i);
            assertEquals(streamed[i], byKey[i], tolerance, "the in-process RegionalAggregator, coordinate " + i);
        }
    }

    @Test
    void aRobustRuleShipsItsUpdatesAndStillAgreesWithTheInProcessPool() {
        SyntheticSites sites = new SyntheticSites(200, PoolRuns.SEED, 3);
        RunResult spark = onSpark(PoolRuns.median(40), sites, 2);
        RunResult local = PoolRuns.inProcess(PoolRuns.median(40), sites, 2);
        assertArrayEquals(local.finalModel().flat(), spark.finalModel().flat());
    }

    @Test
    void aSiteThatThrowsIsAnErrorNamingItsMessageAndTheRoundCompletesWithTheOthers() {
        SyntheticSites all = new SyntheticSites(50, PoolRuns.SEED, 2);
        List<String> ids = all.siteIds();
        SyntheticSites sites = new SyntheticSites(50, PoolRuns.SEED, 2, Set.of(ids.get(3)));
        RoundRecord round = onSpark(PoolRuns.fedAvg(50), sites, 1).rounds().getFirst();
        assertTrue(round.completed());
        assertEquals(49, round.succeeded().size());
        SiteFailure f = round.failures().getFirst();
        assertEquals(ids.get(3), f.siteId());
        assertEquals(SiteFailure.Kind.ERROR, f.kind());
        assertTrue(f.reason().contains("disk full"), f.reason());
    }

    @Test
    void aPopulationSiteHasTheSameDataBuiltInASparkTaskInTheDriverOrInAFreshPopulation() {
        PopulationSites sites = PoolRuns.wearable(1000, 3);
        List<String> ids = List.of(sites.siteIds().get(0), sites.siteIds().get(517), sites.siteIds().get(999));
        List<String> inTasks = spark.parallelize(ids, 3).map(id -> fingerprint(sites.data(id).train())
                + "/" + fingerprint(sites.data(id).test())).collect();
        org.fedmed.data.population.Population alone = org.fedmed.data.population.Population.open(sites.population());
        List<String> built = ids.stream().map(id -> fingerprint(alone.site(alone.index(id)).train()) + "/"
                + fingerprint(alone.site(alone.index(id)).test())).toList();
        assertEquals(built, inTasks);
        assertNotEquals(built.get(0), built.get(1), "the control: different sites hold different rows");
    }

    /** Sites that take {@code millis} before they train. */
    private record SlowSites(VirtualSites inner, long millis) implements VirtualSites {
        @Override
        public List<String> siteIds() {
            return inner.siteIds();
        }

        @Override
        public org.fedmed.core.SiteClient site(String siteId) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return inner.site(siteId);
        }

        @Override
        public String region(String siteId) {
            return inner.region(siteId);
        }
    }

    @Test
    void aRoundPastItsDeadlineIsCancelledAndEverySiteReportedAsATimeout() {
        SlowSites sites = new SlowSites(new SyntheticSites(20, PoolRuns.SEED, 1), 20_000);
        var config = PoolRuns.config(1).withRoundDeadline(java.time.Duration.ofSeconds(2));
        RoundRecord round;
        try (SparkSitePool pool = PoolRuns.spark(spark, sites)) {
            round = new org.fedmed.core.engine.RoundEngine(PoolRuns.fedAvg(20), pool, config, null)
                    .run(PoolRuns.init()).rounds().getFirst();
        }
        assertFalse(round.completed());
        assertEquals(20, round.failures().stream().filter(f -> f.kind() == SiteFailure.Kind.TIMEOUT
                && f.reason().contains("round deadline of 2000 ms")).count(), round.failures().toString());
        assertEquals(List.of(1, 2), spark.parallelize(List.of(1, 2), 2).collect(),
                "the context runs jobs after the cancelled one");
    }

    @Test
    void aVirtualSiteHasTheSameDataBuiltInASparkTaskAsBuiltAlone() {
        SyntheticSites sites = new SyntheticSites(100, PoolRuns.SEED, 2);
        List<String> ids = List.of(SyntheticSites.id(0), SyntheticSites.id(57), SyntheticSites.id(99));
        List<String> inTasks = spark.parallelize(ids, 3).map(id -> fingerprint(sites.data(id, 0))).collect();
        List<String> alone = ids.stream().map(id -> fingerprint(sites.data(id, 0))).toList();
        assertEquals(alone, inTasks);
        assertNotEquals(alone.get(0), alone.get(1), "the control: different sites hold different rows");
    }

    private static String fingerprint(LabeledData d) {
        return d.rows() + ":" + Arrays.hashCode(d.features()) + ":" + Arrays.hashCode(d.labels());
    }
}
