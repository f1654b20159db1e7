package org.fedmed.sim;

/** Receives progress from a long experiment: the CLI draws a progress bar from it; tests ignore it. */
public interface ExperimentProgress {
    /** A named phase with a known number of steps begins. */
    default void phase(String name, int steps) {
    }

    /** One step of the current phase is done; {@code detail} is a short status such as the current loss. */
    default void step(String detail) {
    }

    /** The current phase is over. */
    default void phaseDone() {
    }

    /** A notable event (a site failed, say) the user should see. */
    default void note(String message) {
    }

    ExperimentProgress SILENT = new ExperimentProgress() { };
}
