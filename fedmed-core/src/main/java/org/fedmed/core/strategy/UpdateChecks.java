package org.fedmed.core.strategy;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * The round-free checks of {@link UpdateIntake} (layout and finite values, auxiliary vectors'
 * included) as static calls, for filters and older
 * callers; the wording is the intake's. An aggregator admits through an {@link UpdateIntake} instead, which also
 * checks the task, duplicates and the norm bound.
 */
public final class UpdateChecks {

    private UpdateChecks() {
    }

    /** Same layout as the global model, and finite values, in the parameters and in every auxiliary vector. */
    public static void check(FitResult update, ModelParameters global) throws UpdateRejectedException {
        UpdateIntake.checkValues(update, global);
    }

    /** As {@link #check(FitResult, ModelParameters)}, and the update answers a fit task of {@code round}. */
    public static void check(FitResult update, ModelParameters global, int round) throws UpdateRejectedException {
        String problem = UpdateIntake.taskMismatch(update.taskId(), org.fedmed.core.TaskId.fit(round, update.siteId()));
        if (problem != null) {
            throw new UpdateRejectedException(update.siteId(), problem);
        }
        check(update, global);
    }
}
