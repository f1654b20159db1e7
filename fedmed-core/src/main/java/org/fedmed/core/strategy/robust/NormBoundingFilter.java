package org.fedmed.core.strategy.robust;

import org.fedmed.core.FitResult;
import org.fedmed.core.L2Clip;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * Norm bounding (Sun et al. 2019, "Can you really backdoor federated learning?"): an update whose delta from the
 * round's global model has L2 norm above the bound is scaled down, keeping its direction, to norm at most the
 * bound (the norm, computed in double precision, is never above it); the result is sent on as a delta. An update
 * within the bound passes unchanged, as the same object. An update with the wrong layout or a non-finite value is
 * refused, naming the site. Stateless and safe to share between threads; it works before any aggregator, robust
 * or not.
 */
public final class NormBoundingFilter implements UpdateFilter {

    private final double bound;

    /** @param bound the largest L2 norm an update's delta may have, a positive finite number */
    public NormBoundingFilter(double bound) {
        if (!(bound > 0) || !Double.isFinite(bound)) {
            throw new IllegalArgumentException("aggregation.norm_bound must be a positive finite number, got " + bound);
        }
        this.bound = bound;
    }

    /** The bound on each update's delta norm. */
    public double bound() {
        return bound;
    }

    @Override
    public FitResult apply(FitResult update, ModelParameters global) throws UpdateRejectedException {
        UpdateIntake.checkValues(update, global);
        float[] delta = UpdateFilter.deltaOf(update, global);
        if (L2Clip.clipInPlace(delta, bound) <= bound) {
            return update;
        }
        return UpdateFilter.withDelta(update, delta);
    }
}
