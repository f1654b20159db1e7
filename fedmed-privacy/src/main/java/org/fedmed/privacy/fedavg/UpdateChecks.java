package org.fedmed.privacy.fedavg;

import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.UpdateRejectedException;

/** The checks every privacy filter makes before it touches an update: same layout as the model, finite values. */
final class UpdateChecks {

    private UpdateChecks() {
    }

    static void check(FitResult update, ModelParameters global) throws UpdateRejectedException {
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
    }
}
