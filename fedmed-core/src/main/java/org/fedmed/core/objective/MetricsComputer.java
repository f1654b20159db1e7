package org.fedmed.core.objective;

import java.util.List;
import java.util.Map;

/**
 * The metrics an objective reports for a model's predictions on labelled rows: what a site sends for its test
 * split, and what a report computes per site and on all test splits pooled. Implementations are stateless and
 * thread-safe. A metric that is undefined on the rows is NaN in {@link #compute}, never a made-up number, and
 * {@link #undefined} says which and why, so that a report can leave them out with the reason.
 */
public interface MetricsComputer {

    /** The metrics {@link #compute} returns, in report order; a contract with reports and allow-lists. */
    List<String> names();

    /**
     * The metrics of {@code predictions} (laid out as the model's prediction width says) on rows whose labels are
     * {@code labels} (laid out as the objective's {@link LabelLayout} says), under the names of {@link #names()}.
     *
     * @throws IllegalArgumentException if the lengths do not fit each other
     */
    Map<String, Double> compute(float[] predictions, float[] labels);

    /** The metrics {@link #compute} cannot define on rows with these labels, each with the reason in words. */
    Map<String, String> undefined(float[] labels);
}
