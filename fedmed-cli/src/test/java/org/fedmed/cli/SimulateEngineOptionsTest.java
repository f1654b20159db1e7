package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.*;

import org.fedmed.sim.EngineChoice;
import org.fedmed.sim.PopulationPoolProvider;
import org.fedmed.sim.SimulationEngine;
import org.junit.jupiter.api.Test;

class SimulateEngineOptionsTest {

    private static EngineOptions options(String engine, String master, Integer threads) {
        EngineOptions o = new EngineOptions();
        o.engine = engine;
        o.master = master;
        o.threads = threads;
        return o;
    }

    @Test
    void sparkRunsEmbeddedOnLocalNUnlessAMasterUrlIsGiven() {
        assertEquals(EngineChoice.IN_PROCESS, options("in-process", null, null).choice());
        assertEquals("local[3]", options("spark", null, 3).choice().master());
        assertEquals("local[" + Runtime.getRuntime().availableProcessors() + "]",
                options("spark", null, null).choice().master());
        assertEquals(new EngineChoice(SimulationEngine.SPARK, "spark://10.0.0.5:7077"),
                options("spark", "spark://10.0.0.5:7077", null).choice());
    }

    @Test
    void engineOptionsOutOfPlaceAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("ray", null, null).choice())
                .getMessage().contains("'--engine': engine 'ray' is not one of [in-process, spark]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> options("in-process", "local[2]", null).choice()).getMessage().contains("need --engine spark"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options("spark", "yarn", null).choice())
                .getMessage().contains("'--master': spark master must be local[N] or spark://HOST:PORT, got 'yarn'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> options("spark", "local[2]", 4).choice()).getMessage().contains("'--spark-threads'"));
    }

    @Test
    void theSparkEngineIsFoundOnTheClassPathAsAService() {
        assertEquals(SimulationEngine.SPARK, PopulationPoolProvider.of(SimulationEngine.SPARK).engine());
        assertEquals("org.fedmed.spark.SparkPoolProvider",
                PopulationPoolProvider.of(SimulationEngine.SPARK).getClass().getName());
    }

    @Test
    void sparkOnAPlanWithoutAPopulationIsRefusedSayingWhy() {
        FedmedCommandTest.Run r = FedmedCommandTest.run("simulate", "--engine", "spark", "--rounds", "1",
                "--no-progress");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("--engine spark simulates a population of virtual sites"), r.err());
    }
}
