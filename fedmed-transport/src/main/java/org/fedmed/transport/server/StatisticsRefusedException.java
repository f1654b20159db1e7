package org.fedmed.transport.server;

/** A site did not answer a statistics request: it refused it (with its reason) or left before answering. */
public final class StatisticsRefusedException extends Exception {
    public StatisticsRefusedException(String message) {
        super(message);
    }
}
