package org.fedmed.server.store;

import java.util.Locale;

/**
 * Where a run stands: still going (or killed and resumable), stopped on request (resumable), or finished one of
 * three ways.
 */
public enum RunStatus {
    /** Rounds are being run, or the process stopped without finishing the run; it can be resumed. */
    RUNNING,
    /** The engine reached its round budget or converged. */
    COMPLETED,
    /** The run stopped on an error. */
    FAILED,
    /** The engine gave up after too many failed rounds in a row. */
    ABORTED,
    /**
     * An operator stopped the server (SIGTERM or SIGINT): the rounds recorded so far stand, the round in flight was
     * abandoned, and {@code --resume} continues the run.
     */
    STOPPED;

    /** The value stored in the database, in lowercase. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
