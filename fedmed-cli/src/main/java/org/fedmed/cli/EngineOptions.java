package org.fedmed.cli;

import org.fedmed.sim.EngineChoice;
import org.fedmed.sim.SimulationEngine;
import picocli.CommandLine.Option;

/**
 * {@code --engine}, {@code --master} and {@code --spark-threads} of {@code simulate}: where a population's virtual
 * sites train. {@code --engine spark} runs embedded on {@code local[N]}, N from {@code --spark-threads} or the
 * machine's cores; {@code --master spark://HOST:PORT} runs the same job on a standalone cluster instead.
 */
final class EngineOptions {

    @Option(names = "--engine", paramLabel = "in-process|spark", defaultValue = "in-process",
            description = "Where a population's sites train: in-process (default) or spark (the optional fedmed-spark"
                    + " module: one Spark job per round).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master,"
            + " local[N] or spark://HOST:PORT (a standalone cluster). Default: local[--spark-threads].")
    String master;

    @Option(names = "--spark-threads", paramLabel = "N", description = "With --engine spark and no --master: the"
            + " worker threads of the embedded local[N] master. Default: the machine's cores.")
    Integer threads;

    /**
     * The choice these options make.
     *
     * @throws IllegalArgumentException naming the option that is wrong or out of place
     */
    EngineChoice choice() {
        SimulationEngine e;
        try {
            e = SimulationEngine.byKey(engine);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("option '--engine': " + bad.getMessage());
        }
        if (e == SimulationEngine.IN_PROCESS) {
            if (master != null || threads != null) {
                throw new IllegalArgumentException("options '--master' and '--spark-threads' need --engine spark");
            }
            return EngineChoice.IN_PROCESS;
        }
        if (master != null && threads != null) {
            throw new IllegalArgumentException("option '--spark-threads' sets the embedded master's threads; it does"
                    + " not go with --master " + master);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("option '--spark-threads': must be >= 1, got " + threads);
        }
        String url = master != null ? master
                : "local[" + (threads != null ? threads : Runtime.getRuntime().availableProcessors()) + "]";
        try {
            return EngineChoice.spark(url);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("option '--master': " + bad.getMessage());
        }
    }
}
