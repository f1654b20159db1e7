package org.fedmed.core.engine;

/** Raised when a run cannot go on: too many rounds in a row failed to gather min_fit_sites results. */
public class RunAbortedException extends RuntimeException {
    public RunAbortedException(String message) {
        super(message);
    }
}
