package org.fedmed.core.engine;

/**
 * Which round records a run's {@link RunResult} keeps in memory. Either way the engine hands every record to its
 * {@link RunListener} and counts every round in {@link RunResult#roundsRun()}; the convergence check, the failed-round
 * count and the sites' commitments never need the records kept.
 */
public enum RoundHistory {
    /** Every round's record, as a simulation's report reads them: memory grows with the rounds. */
    ALL,
    /**
     * Only the last round's record: for a server whose listener stores every round (the run store), so that a run
     * of any length holds a constant amount.
     */
    LATEST
}
