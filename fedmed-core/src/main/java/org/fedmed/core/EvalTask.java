package org.fedmed.core;

/** Asks a site to evaluate the global model on its own held-out data and report aggregate metrics only. */
public record EvalTask(int round, String siteId, ModelParameters global) implements Task {
    public EvalTask {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
    }
}
