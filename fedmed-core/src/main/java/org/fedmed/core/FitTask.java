package org.fedmed.core;

import java.util.Map;

/**
 * Asks a site to train the global model on its own data and send back weights or a delta. {@code auxiliary} holds
 * the named vectors a strategy sends with the fit besides the model (SCAFFOLD's server control variate
 * {@code scaffold.c}), each with the global model's layout ({@link AuxiliaryVectors}); most fits carry none, and the
 * four-argument constructor gives that.
 */
public record FitTask(int round, String siteId, ModelParameters global, FitConfig config,
                      Map<String, ModelParameters> auxiliary) implements Task, java.io.Serializable {
    public FitTask {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        auxiliary = AuxiliaryVectors.check("the fit task for site '" + siteId + "'", auxiliary, global.layout());
    }

    /** A fit task with no auxiliary vector. */
    public FitTask(int round, String siteId, ModelParameters global, FitConfig config) {
        this(round, siteId, global, config, Map.of());
    }
}
