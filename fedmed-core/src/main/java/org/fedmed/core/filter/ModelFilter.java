package org.fedmed.core.filter;

import org.fedmed.core.ModelParameters;

/**
 * Transforms the aggregate after all updates of a round were folded in, before it becomes the new global
 * model: for example adding calibrated Gaussian noise for central differential privacy.
 */
public interface ModelFilter {
    /** {@code previous} is the round's starting model; {@code aggregated} the aggregator's result. */
    ModelParameters apply(ModelParameters previous, ModelParameters aggregated, int round, int acceptedUpdates);
}
