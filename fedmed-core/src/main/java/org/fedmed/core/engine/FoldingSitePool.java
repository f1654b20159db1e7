package org.fedmed.core.engine;

import java.time.Duration;
import java.util.List;
import org.fedmed.core.FitTask;
import org.fedmed.core.strategy.LinearFold;

/**
 * A site pool that can fold a round's updates where its sites train and hand the round engine one partial instead
 * of every update: a Spark job whose tasks fold their sites, or an in-process pool that folds as results arrive
 * ({@link LocalFoldingPool}). The engine uses it only when the round's aggregator gives a
 * {@linkplain org.fedmed.core.strategy.Aggregator#foldRule() fold rule} and the round waits for every site; otherwise
 * it calls {@link #fit} as for any pool, and the updates travel whole.
 */
public interface FoldingSitePool extends SitePool {

    /**
     * Runs every task, folds each site's result with {@link FoldPlan#fold} and reports every task's outcome to
     * {@code sink} exactly once before returning: a {@link FoldedFit} for a site that answered (folded or refused),
     * a {@link SiteFailure} for one that failed or missed {@code deadline}. Calls to the sink are never concurrent.
     *
     * @param tasks the round's fit tasks, at least one, all with the same round and global model
     * @return the merged fold of every site reported as folded; empty (count 0) when none was
     */
    LinearFold fitFolded(List<FitTask> tasks, Duration deadline, FoldPlan plan, OutcomeSink<FoldedFit> sink);
}
