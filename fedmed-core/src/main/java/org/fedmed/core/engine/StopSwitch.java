package org.fedmed.core.engine;

/**
 * How a {@link RoundEngine} is stopped from another thread. A stop asked for between rounds takes effect before
 * the next round; one asked for while the engine's thread is in a round's site calls interrupts that thread, so
 * the open tasks are abandoned and the round is not recorded. An interrupt that arrives after the site calls ended
 * is dropped, so a checkpoint or a store write is never interrupted. The first reason given is the one reported.
 */
final class StopSwitch {

    private final Object lock = new Object();
    private String request;       // guarded by lock
    private Thread siteCalls;     // the run's thread while it is in a round's site calls, guarded by lock
    private int roundInFlight;    // guarded by lock

    /** Asks for a stop; returns at once. */
    void request(String reason) {
        synchronized (lock) {
            if (request == null) {
                request = reason == null || reason.isBlank() ? "stop requested" : reason;
            }
            if (siteCalls != null) {
                siteCalls.interrupt();
            }
        }
    }

    /** Throws {@link RunStoppedException} if a stop was asked for. */
    void throwIfRequested(int round) {
        synchronized (lock) {
            if (request != null) {
                throw new RunStoppedException(request + " before round " + round, round - 1, null);
            }
        }
    }

    /** As {@link #throwIfRequested}, then marks the current thread as in {@code round}'s site calls. */
    void enterSiteCalls(int round) {
        synchronized (lock) {
            throwIfRequested(round);
            roundInFlight = round;
            siteCalls = Thread.currentThread();
        }
    }

    /** Ends the window in which a stop interrupts the thread; an interrupt that came too late is dropped. */
    void leaveSiteCalls() {
        synchronized (lock) {
            siteCalls = null;
            if (request != null) {
                Thread.interrupted();
            }
        }
    }

    /**
     * What the engine throws for {@code e}, raised by a round: a {@link RunStoppedException} when a stop interrupted
     * the round's site calls (the interrupt is cleared), otherwise {@code e} itself.
     */
    RuntimeException translate(RuntimeException e) {
        synchronized (lock) {
            boolean inSiteCalls = siteCalls != null;
            siteCalls = null;
            if (request == null || !inSiteCalls) {
                return e;
            }
            Thread.interrupted(); // the interrupt was ours
            return new RunStoppedException(request + " during round " + roundInFlight + ", which was abandoned",
                    roundInFlight - 1, e);
        }
    }
}
