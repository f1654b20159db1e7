package org.fedmed.core.strategy.robust;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * {@link AggregationRule.Median}: each parameter of the result is the median of that parameter over the round's
 * updates, taken as full weights; for an even count, the mean of the two middle values (computed in double and
 * rounded once). Unweighted: a site's claimed example count plays no part. No server step is applied.
 *
 * <p>Unlike the streaming mean, it holds every accepted update until {@link #result()}: memory O(N·P), time
 * O(P·N log N). An update refused at {@link #accept} leaves nothing behind. The result depends only on the set of
 * updates, not on their arrival order, bit for bit.
 */
public final class CoordinateMedianAggregator implements Aggregator {

    private final HeldUpdates updates;

    /**
     * @param global the model the round started from
     * @param round  the round results must belong to (checked against their task id)
     */
    public CoordinateMedianAggregator(ModelParameters global, int round) {
        this(new UpdateIntake(global, round));
    }

    /** A median over the updates {@code intake} admits (its global model, round and norm bound). */
    public CoordinateMedianAggregator(UpdateIntake intake) {
        this.updates = new HeldUpdates(intake);
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        updates.accept(update);
    }

    @Override
    public int accepted() {
        return updates.count();
    }

    @Override
    public ModelParameters result() {
        return updates.byCoordinate(column -> {
            int n = column.length;
            int mid = n / 2;
            return n % 2 == 1 ? column[mid] : (float) (((double) column[mid - 1] + column[mid]) / 2);
        });
    }
}
