package org.fedmed.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.fedmed.core.engine.RunResult;
import org.junit.jupiter.api.Test;

/** The same run on local[2] and on a standalone cluster (a Master and a Worker JVM from the Maven jars). */
class StandaloneClusterTest {

    private static float[] run(JavaSparkContext spark, SyntheticSites sites) {
        try (SparkSitePool pool = PoolRuns.spark(spark, sites)) {
            RunResult r = PoolRuns.run(PoolRuns.fedAvg(80), pool, 3);
            assertEquals(3, r.rounds().size());
            return r.finalModel().flat();
        }
    }

    @Test
    void aStandaloneClusterGivesTheSameModelAsLocal2ChangingOnlyTheMasterUrl() throws Exception {
        // under target/, not a JUnit temp dir: SPARK_HOME/jars holds links into the Maven repository
        Path dir = java.nio.file.Files.createDirectories(Path.of("target", "standalone-cluster"))
                .resolve(Long.toString(System.nanoTime()));
        SyntheticSites sites = new SyntheticSites(400, PoolRuns.SEED, 4);
        float[] local;
        try (JavaSparkContext spark = SparkContexts.open(SparkContexts.local(2), "fedmed-local")) {
            local = run(spark, sites);
        }
        float[] cluster;
        try (StandaloneCluster c = StandaloneCluster.start(dir, 2);
             JavaSparkContext spark = SparkContexts.open(c.masterUrl(), "fedmed-cluster")) {
            cluster = run(spark, sites);
            assertTrue(spark.sc().getExecutorMemoryStatus().size() > 1,
                    "the control: the job ran on the worker's executor, not in the driver");
        }
        assertArrayEquals(local, cluster);
    }
}
