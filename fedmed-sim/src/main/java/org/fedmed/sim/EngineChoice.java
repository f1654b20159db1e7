package org.fedmed.sim;

/**
 * The engine a population simulation runs on, and for Spark the master URL: {@code local[N]} (embedded, N worker
 * threads) or {@code spark://HOST:PORT} (a standalone cluster). The in-process engine has no master.
 *
 * @param engine the engine
 * @param master the Spark master URL; empty for the in-process engine
 */
public record EngineChoice(SimulationEngine engine, String master) {

    /** The default: in this JVM. */
    public static final EngineChoice IN_PROCESS = new EngineChoice(SimulationEngine.IN_PROCESS, "");

    public EngineChoice {
        if (engine == null || master == null) {
            throw new IllegalArgumentException("an engine choice needs an engine and a master (empty for none), got "
                    + engine + ", " + master);
        }
        if (engine == SimulationEngine.IN_PROCESS && !master.isEmpty()) {
            throw new IllegalArgumentException("a master URL ('" + master + "') is for --engine spark only");
        }
        if (engine == SimulationEngine.SPARK
                && !(master.matches("local\\[[1-9][0-9]*]") || master.matches("spark://[^/:]+:[0-9]+"))) {
            throw new IllegalArgumentException("spark master must be local[N] or spark://HOST:PORT, got '" + master + "'");
        }
    }

    /** Spark on {@code master}. */
    public static EngineChoice spark(String master) {
        return new EngineChoice(SimulationEngine.SPARK, master);
    }

    /** What the choice is, for the printed header and the run's records: {@code in-process} or {@code spark local[2]}. */
    public String describe() {
        return engine == SimulationEngine.IN_PROCESS ? engine.key() : engine.key() + " " + master;
    }
}
