package org.fedmed.core.strategy;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * Folds site updates into a new global model one at a time, as they arrive. A streaming aggregator (the weighted
 * mean, the fixed-denominator sum) keeps memory O(P) in the number of parameters whatever the number of sites: it
 * may hold a bounded number of pending updates but never all of them. A robust rule (median, trimmed mean, Krum)
 * must see all N updates at once and says so: its memory is O(N·P). An update that cannot be aggregated (wrong layout, NaN, wrong task) is refused with
 * an {@link UpdateRejectedException} and leaves the aggregate untouched.
 */
public interface Aggregator {

    /** Folds in one site's update. */
    void accept(FitResult update) throws UpdateRejectedException;

    /** How many updates were folded in so far. */
    int accepted();

    /** The new global model. Call once, after the last update. */
    ModelParameters result();

    /**
     * The sites whose aggregation weight was capped by a share bound ({@link InfluenceLimits}) in this round, once
     * {@link #result()} ran. An aggregator that does not weigh sites by what they claim caps nothing.
     */
    default java.util.List<WeightCaps.Capped> weightCaps() {
        return java.util.List.of();
    }
}
