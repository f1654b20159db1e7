package org.fedmed.core.engine;

import org.fedmed.core.ModelParameters;

/**
 * Observes a run as it happens: the progress bar, the run store, the dashboard. Methods are called from the
 * engine's thread, in order; an exception thrown by a listener is the listener's bug and stops the run.
 */
public interface RunListener {
    default void roundStarted(int round, int totalRounds) {
    }

    default void siteFailed(SiteFailure failure) {
    }

    /** Called after a round completes, with the new global model (checkpoint it here). */
    default void roundFinished(RoundRecord record, ModelParameters global) {
    }

    default void runFinished(RunResult result) {
    }
}
