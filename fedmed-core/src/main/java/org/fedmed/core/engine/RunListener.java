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

    /** A site's aggregation weight was capped in {@code round} because it would have held more than its share. */
    default void weightCapped(int round, org.fedmed.core.strategy.WeightCaps.Capped capped) {
    }

    /** Called after a round completes, with the new global model (checkpoint it here). */
    default void roundFinished(RoundRecord record, ModelParameters global) {
    }

    default void runFinished(RunResult result) {
    }
}
