package org.fedmed.core.strategy;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * The checks every aggregator and filter makes before it touches an update: it belongs to this round, it has the
 * global model's layout, and all its values are finite, those of its auxiliary vectors ({@code scaffold.delta_c})
 * included. Each failure names the site and what is wrong.
 */
public final class UpdateChecks {

    private UpdateChecks() {
    }

    /** Same layout as the global model, and finite values, in the parameters and in every auxiliary vector. */
    public static void check(FitResult update, ModelParameters global) throws UpdateRejectedException {
        if (!update.parameters().layout().equals(global.layout())) {
            throw new UpdateRejectedException(update.siteId(), "parameter layout "
                    + update.parameters().layout().entries() + " does not match the global model's "
                    + global.layout().entries());
        }
        int bad = update.parameters().firstNonFinite();
        if (bad >= 0) {
            throw new UpdateRejectedException(update.siteId(), "value " + update.parameters().flat()[bad]
                    + " in tensor '" + update.parameters().tensorAt(bad) + "' (flat index " + bad + ") is not finite");
        }
        for (var aux : update.auxiliary().entrySet()) {
            int badAux = aux.getValue().firstNonFinite();
            if (badAux >= 0) {
                throw new UpdateRejectedException(update.siteId(), "value " + aux.getValue().flat()[badAux]
                        + " of auxiliary vector '" + aux.getKey() + "' in tensor '" + aux.getValue().tensorAt(badAux)
                        + "' (flat index " + badAux + ") is not finite");
            }
        }
    }

    /** As {@link #check(FitResult, ModelParameters)}, and the update answers a fit task of {@code round}. */
    public static void check(FitResult update, ModelParameters global, int round) throws UpdateRejectedException {
        String prefix = "r" + round + "-fit-";
        if (update.taskId() == null || !update.taskId().startsWith(prefix)) {
            throw new UpdateRejectedException(update.siteId(), "task id '" + update.taskId()
                    + "' does not belong to this round (" + prefix + "…)");
        }
        check(update, global);
    }
}
