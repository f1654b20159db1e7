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

    /** One listener that tells each of {@code listeners}, in order, everything this interface reports. */
    static RunListener all(RunListener... listeners) {
        java.util.List<RunListener> ls = java.util.List.of(listeners);
        return new RunListener() {
            @Override
            public void roundStarted(int round, int totalRounds) {
                ls.forEach(l -> l.roundStarted(round, totalRounds));
            }

            @Override
            public void siteFailed(SiteFailure failure) {
                ls.forEach(l -> l.siteFailed(failure));
            }

            @Override
            public void weightCapped(int round, org.fedmed.core.strategy.WeightCaps.Capped capped) {
                ls.forEach(l -> l.weightCapped(round, capped));
            }

            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                ls.forEach(l -> l.roundFinished(record, global));
            }

            @Override
            public void runFinished(RunResult result) {
                ls.forEach(l -> l.runFinished(result));
            }
        };
    }
}
