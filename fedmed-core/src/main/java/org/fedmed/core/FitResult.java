package org.fedmed.core;

import java.util.Map;

/**
 * What a site sends back after local training: its new weights (or their delta from the global model), how
 * many examples it trained on, and a data-quality score in [0, 1] (for example the share of non-missing
 * values) that quality-weighted aggregation may use. Training metrics are aggregates, never rows. {@code auxiliary}
 * holds the named vectors a strategy asked for besides the model (SCAFFOLD's {@code scaffold.delta_c}), each with the
 * parameters' layout ({@link AuxiliaryVectors}); the seven-argument constructor gives none.
 */
public record FitResult(String siteId, String taskId, ModelParameters parameters, boolean isDelta,
                        long numExamples, double quality, Map<String, Double> trainMetrics,
                        Map<String, ModelParameters> auxiliary) implements java.io.Serializable {
    public FitResult {
        if (numExamples < 1) {
            throw new IllegalArgumentException("site '" + siteId + "': num_examples must be >= 1, got " + numExamples);
        }
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("site '" + siteId + "': quality must be in [0, 1], got " + quality);
        }
        trainMetrics = Map.copyOf(trainMetrics);
        auxiliary = AuxiliaryVectors.check("site '" + siteId + "'", auxiliary, parameters.layout());
    }

    /**
     * The result of a fit whose update stays at the site for a secure sum ({@link UpdateRelease#SECURE_SUM}): its
     * counts and metrics, and as parameters the task's own global model, unchanged (the site releases nothing of its
     * update here). Only an aggregator that runs the secure sum with the sites takes such a result.
     */
    public static FitResult held(String siteId, String taskId, ModelParameters global, long numExamples,
                                 double quality, Map<String, Double> trainMetrics) {
        return new FitResult(siteId, taskId, global, false, numExamples, quality, trainMetrics, Map.of());
    }

    /** A result with no auxiliary vector. */
    public FitResult(String siteId, String taskId, ModelParameters parameters, boolean isDelta, long numExamples,
                     double quality, Map<String, Double> trainMetrics) {
        this(siteId, taskId, parameters, isDelta, numExamples, quality, trainMetrics, Map.of());
    }
}
