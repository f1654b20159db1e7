package org.fedmed.sim;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a population simulation's virtual sites train: in this JVM, or on Apache Spark (the optional
 * {@code fedmed-spark} module, found at run time through {@link PopulationPoolProvider}). The same plan and seed give
 * the same rounds on either; only the machinery differs.
 */
public enum SimulationEngine {
    /** Virtual threads in this JVM, as every simulation runs by default. */
    IN_PROCESS("in-process"),
    /** One Spark job per round: embedded {@code local[N]} by default, or a standalone cluster by master URL. */
    SPARK("spark");

    private final String key;

    SimulationEngine(String key) {
        this.key = key;
    }

    /** How the engine is written on the command line and in results: {@code in-process} or {@code spark}. */
    @JsonValue
    public String key() {
        return key;
    }

    /**
     * The engine written {@code key}.
     *
     * @throws IllegalArgumentException naming the known keys
     */
    public static SimulationEngine byKey(String key) {
        for (SimulationEngine e : values()) {
            if (e.key.equals(key.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine '" + key + "' is not one of "
                + Arrays.stream(values()).map(SimulationEngine::key).toList());
    }
}
