package org.fedmed.core.filter;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * Transforms one site's update on its way out of the site or on its way into the aggregator: clipping,
 * noise, quantization, masking. Filters compose in a chain and never see other sites' updates, so a privacy
 * technique plugs in without touching the aggregator.
 */
public interface UpdateFilter {

    /**
     * Returns the filtered update. {@code global} is the model the round started from, so a filter can work on
     * the delta whatever the site sent. A filter that refuses an update throws, naming the site and the reason.
     */
    FitResult apply(FitResult update, ModelParameters global) throws UpdateRejectedException;

    /** The update as a delta from {@code global}, whatever the site sent. */
    static float[] deltaOf(FitResult update, ModelParameters global) {
        float[] values = update.parameters().copyFlat();
        if (!update.isDelta()) {
            float[] g = global.flat();
            for (int i = 0; i < values.length; i++) {
                values[i] -= g[i];
            }
        }
        return values;
    }

    /** A copy of {@code update} carrying {@code delta} as its (delta) parameters. */
    static FitResult withDelta(FitResult update, float[] delta) {
        return new FitResult(update.siteId(), update.taskId(),
                ModelParameters.ofFlat(update.parameters().layout(), delta), true, update.numExamples(),
                update.quality(), update.trainMetrics(), update.auxiliary());
    }
}
