package org.fedmed.transport.server;

import org.fedmed.core.engine.SiteFailure;

/** How one dispatched task ended, waiting to be handed to the round engine's sink. */
sealed interface Outcome {

    /** The task's position in the dispatched list. */
    int index();

    /** Frees what the outcome holds (its share of the result buffer budget); idempotent. */
    void release();

    /** A result that passed validation; {@code releaser} runs once the sink has taken it. */
    record Delivered(int index, Object result, Runnable releaser) implements Outcome {
        @Override
        public void release() {
            releaser.run();
        }
    }

    /** A failure to report. */
    record Failed(int index, SiteFailure failure) implements Outcome {
        @Override
        public void release() {
        }
    }
}
