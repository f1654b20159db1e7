package org.fedmed.core;

import java.util.Map;

/** A site's evaluation of a model on its own held-out data: aggregate metrics and the number of examples. */
public record EvalResult(String siteId, String taskId, long numExamples, Map<String, Double> metrics) implements java.io.Serializable {
    public EvalResult {
        if (numExamples < 1) {
            throw new IllegalArgumentException("site '" + siteId + "': evaluated on no examples");
        }
        metrics = Map.copyOf(metrics);
    }
}
