package org.fedmed.core;

import java.util.Map;

/**
 * Asks a site to train the global model on its own data and send back weights or a delta. {@code auxiliary} holds
 * the named vectors a strategy sends with the fit besides the model (SCAFFOLD's server control variate
 * {@code scaffold.c}), each with the global model's layout ({@link AuxiliaryVectors}); most fits carry none, and the
 * four-argument constructor gives that. {@code release} says whether the site sends its update
 * ({@link UpdateRelease#CLEAR}, what the shorter constructors give) or keeps it for a secure sum
 * ({@link UpdateRelease#SECURE_SUM}).
 */
public record FitTask(int round, String siteId, ModelParameters global, FitConfig config,
                      Map<String, ModelParameters> auxiliary, UpdateRelease release) implements Task, java.io.Serializable {
    public FitTask {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (release == null) {
            throw new IllegalArgumentException("the fit task for site '" + siteId + "': release must be clear or"
                    + " secure_sum, got null");
        }
        auxiliary = AuxiliaryVectors.check("the fit task for site '" + siteId + "'", auxiliary, global.layout());
    }

    /** A fit task whose site sends its update in the clear. */
    public FitTask(int round, String siteId, ModelParameters global, FitConfig config,
                   Map<String, ModelParameters> auxiliary) {
        this(round, siteId, global, config, auxiliary, UpdateRelease.CLEAR);
    }

    /** The same task, with its update released as {@code newRelease}. */
    public FitTask withRelease(UpdateRelease newRelease) {
        return new FitTask(round, siteId, global, config, auxiliary, newRelease);
    }

    /** A fit task with no auxiliary vector. */
    public FitTask(int round, String siteId, ModelParameters global, FitConfig config) {
        this(round, siteId, global, config, Map.of());
    }
}
