package org.fedmed.core.strategy.robust;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.core.strategy.UpdateRejectedException;

/**
 * {@link AggregationRule.TrimmedMean}: for each parameter, the k = {@link AggregationRule.TrimmedMean#trimmed(int)}
 * largest and k smallest values over the round's N updates (as full weights) are dropped and the N - 2k left are
 * averaged, unweighted, in double precision and rounded once. No server step is applied.
 *
 * <p>It holds every accepted update until {@link #result()}: memory O(N·P), time O(P·N log N). An update refused at
 * {@link #accept} leaves nothing behind. The values are summed in sorted order, so the result depends only on the
 * set of updates, not on their arrival order, bit for bit.
 */
public final class TrimmedMeanAggregator implements Aggregator {

    private final HeldUpdates updates;
    private final AggregationRule.TrimmedMean rule;

    /**
     * @param global the model the round started from
     * @param round  the round results must belong to (checked against their task id)
     * @param rule   the fraction trimmed from each end
     */
    public TrimmedMeanAggregator(ModelParameters global, int round, AggregationRule.TrimmedMean rule) {
        this(new UpdateIntake(global, round), rule);
    }

    /** A trimmed mean over the updates {@code intake} admits (its global model, round and norm bound). */
    public TrimmedMeanAggregator(UpdateIntake intake, AggregationRule.TrimmedMean rule) {
        if (rule == null) {
            throw new IllegalArgumentException("a trimmed mean needs its rule (aggregation.trim)");
        }
        this.updates = new HeldUpdates(intake);
        this.rule = rule;
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
            int k = rule.trimmed(n);
            double s = 0;
            for (int j = k; j < n - k; j++) {
                s += column[j];
            }
            return (float) (s / (n - 2 * k));
        });
    }
}
