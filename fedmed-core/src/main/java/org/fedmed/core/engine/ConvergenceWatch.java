package org.fedmed.core.engine;

import java.util.ArrayDeque;

/**
 * The convergence check of a {@link StoppingRule} over a run's evaluation losses, fed one round at a time: the run
 * has converged once the last {@code patience} losses all fail to improve by more than {@code minDelta} on the best
 * loss before them (at least one loss before them, rounds without the loss or with NaN skipped; patience 0: never).
 * It holds the last {@code patience} losses and the best before them, not the run's history, so a check costs the
 * patience, not the rounds run.
 */
final class ConvergenceWatch {

    private final StoppingRule rule;
    private final String lossMetric;
    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private double bestBefore = Double.POSITIVE_INFINITY;
    private boolean anyBefore;

    ConvergenceWatch(StoppingRule rule, String lossMetric) {
        this.rule = rule;
        this.lossMetric = lossMetric;
    }

    /** Takes {@code record}'s loss, if it has one, and tells whether the run has now converged. */
    boolean add(RoundRecord record) {
        if (rule.patience() == 0) {
            return false;
        }
        Double v = record.evalMetrics().get(lossMetric);
        if (v != null && !v.isNaN()) {
            recent.addLast(v);
            if (recent.size() > rule.patience()) {
                bestBefore = Math.min(bestBefore, recent.removeFirst());
                anyBefore = true;
            }
        }
        if (!anyBefore) {
            return false;
        }
        for (double loss : recent) {
            if (loss < bestBefore - rule.minDelta()) {
                return false;
            }
        }
        return true;
    }
}
