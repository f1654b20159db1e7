package org.fedmed.core.strategy;

import java.util.List;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * Folds site updates into a new global model one at a time, as they arrive. A streaming aggregator (the weighted
 * mean, the fixed-denominator sum) keeps memory O(P) in the number of parameters whatever the number of sites: it
 * may hold a bounded number of pending updates but never all of them. A robust rule (median, trimmed mean, Krum)
 * must see all N updates at once and says so: its memory is O(N·P). An update that cannot be aggregated (wrong
 * layout, NaN, wrong task) is refused with an {@link UpdateRejectedException} and leaves the aggregate untouched.
 *
 * <p>Most refusals come from the update's own {@link #accept}. A streaming aggregator may hold a few updates
 * unread and check their values only when it folds them, a few arrivals later ({@link WeightedMeanAggregator}
 * holds at most three); such an update is refused late: {@link #unsettled()} names the sites still held
 * unchecked, {@link #refusedLate()} lists those refused so far, and {@link #close()} checks the rest and
 * returns them all. A caller counts a site's update as aggregated only once it is neither unsettled nor refused,
 * which is certain after {@code close()}.
 */
public interface Aggregator {

    /** Folds in one site's update. */
    void accept(FitResult update) throws UpdateRejectedException;

    /** How many updates were taken in so far, less those refused late. */
    int accepted();

    /**
     * Ends the intake after the last update: checks and folds whatever is held, and returns every update refused
     * after its {@code accept} had returned, in the order they were found. Call once, before {@link #result()}.
     */
    default List<UpdateRejectedException> close() {
        return refusedLate();
    }

    /** The updates refused so far after their {@code accept} had returned; none for most aggregators. */
    default List<UpdateRejectedException> refusedLate() {
        return List.of();
    }

    /** The sites whose updates were taken in but not yet checked: each is folded, or refused late, later. */
    default Set<String> unsettled() {
        return Set.of();
    }

    /** The new global model. Call once, after the last update (and {@link #close()}). */
    ModelParameters result();

    /**
     * The sites whose aggregation weight was capped by a share bound ({@link InfluenceLimits}) in this round, once
     * {@link #result()} ran. An aggregator that does not weigh sites by what they claim caps nothing.
     */
    default List<WeightCaps.Capped> weightCaps() {
        return List.of();
    }

    /**
     * The rule by which a pool may fold this round's updates where its sites train ({@link LinearFold}) and hand over
     * one partial through {@link #acceptFolded}, giving the result this aggregator would have given from the same
     * updates (to float rounding; bit for bit between folds). Empty, the default, for an aggregator that must see each
     * update: robust rules, filters (norm bounds, server-side DP clipping and noise), SCAFFOLD's control variates,
     * secure aggregation. Asked before the first update.
     */
    default java.util.Optional<FoldRule> foldRule() {
        return java.util.Optional.empty();
    }

    /**
     * Takes the whole round's updates as one fold made by the rule of {@link #foldRule()}, in place of
     * {@link #accept} calls and {@link #close()}; {@link #result()} follows.
     *
     * @throws UnsupportedOperationException if this aggregator gives no fold rule
     */
    default void acceptFolded(LinearFold partial) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " must see every update; it takes no fold");
    }
}
