package org.fedmed.core.engine;

import java.io.Serial;
import java.io.Serializable;
import java.util.Optional;
import org.fedmed.core.FitResult;
import org.fedmed.core.strategy.FoldRule;
import org.fedmed.core.strategy.LinearFold;
import org.fedmed.core.strategy.UpdateIntake;

/**
 * How a {@link FoldingSitePool} folds one round where its sites train: the strategy's {@link FoldRule} and the run's
 * commitments for the round's sites. {@link #fold} is the one per-site step every folding pool takes, so an update is
 * refused for the same reason, in the same words, wherever it is folded. Serializable: it travels with the tasks.
 *
 * @param rule      the weighting and share cap of the round's mean
 * @param admission the run's commitments of the round's sites (min_rows, max_count_growth), checked first
 */
public record FoldPlan(FoldRule rule, SiteCommitments.Admission admission) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public FoldPlan {
        if (rule == null || admission == null) {
            throw new IllegalArgumentException("a fold plan needs a rule and an admission, got " + rule + ", " + admission);
        }
    }

    /**
     * Checks {@code result} against the commitments, then admits it through {@code intake} and folds it into
     * {@code fold}; returns what the engine records for the site.
     */
    public FoldedFit fold(LinearFold fold, FitResult result, UpdateIntake intake) {
        Optional<String> refused = admission.check(result.siteId(), result.numExamples());
        if (refused.isEmpty()) {
            refused = rule.fold(fold, result, intake);
        }
        return new FoldedFit(result.siteId(), result.numExamples(), result.trainMetrics(), refused.orElse(""));
    }
}
