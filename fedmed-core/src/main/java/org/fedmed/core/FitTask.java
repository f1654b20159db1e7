package org.fedmed.core;

/** Asks a site to train the global model on its own data and send back weights or a delta. */
public record FitTask(int round, String siteId, ModelParameters global, FitConfig config) implements Task {
    public FitTask {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
    }
}
