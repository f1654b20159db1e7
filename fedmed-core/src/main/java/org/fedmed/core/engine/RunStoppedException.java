package org.fedmed.core.engine;

/**
 * Raised when a run ends because it was asked to stop ({@link RoundEngine#requestStop}), for example by an
 * operator's SIGTERM. Every round up to {@link #lastFinishedRound()} was finished and handed to the listener; a
 * round that was in flight was abandoned (its sites told to stop) and never reached the listener, so a resumed run
 * starts again at the round after {@link #lastFinishedRound()}.
 */
public class RunStoppedException extends RuntimeException {

    private final int lastFinishedRound;

    /**
     * @param message           the reason for the stop and where the run was, for example {@code SIGTERM during
     *                          round 4, which was abandoned}
     * @param lastFinishedRound the last round handed to the listener, 0 when none was
     */
    public RunStoppedException(String message, int lastFinishedRound, Throwable cause) {
        super(message, cause);
        if (lastFinishedRound < 0) {
            throw new IllegalArgumentException("lastFinishedRound must be >= 0, got " + lastFinishedRound);
        }
        this.lastFinishedRound = lastFinishedRound;
    }

    /** The last round the engine finished before it stopped; 0 when none was. */
    public int lastFinishedRound() {
        return lastFinishedRound;
    }
}
