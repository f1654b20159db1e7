package org.fedmed.core.engine;

import java.util.List;
import org.fedmed.core.ModelParameters;

/** The outcome of a run: the final global model, every round's record, and why the run stopped. */
public record RunResult(ModelParameters finalModel, List<RoundRecord> rounds, StopReason stopReason, String stopDetail) {

    /** Why the engine stopped. */
    public enum StopReason {
        /** The configured number of rounds ran. */
        ROUND_BUDGET,
        /** The evaluation loss stopped improving. */
        CONVERGED,
        /** The strategy asked to stop (see {@code stopDetail}), for example before overspending a privacy budget. */
        STRATEGY
    }

    public RunResult {
        rounds = List.copyOf(rounds);
    }
}
