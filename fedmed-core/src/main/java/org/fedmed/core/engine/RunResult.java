package org.fedmed.core.engine;

import java.util.List;
import org.fedmed.core.ModelParameters;

/** The outcome of a run: the final global model, every round's record, and why the run stopped. */
public record RunResult(ModelParameters finalModel, List<RoundRecord> rounds, StopReason stopReason) {

    /** Why the engine stopped. */
    public enum StopReason {
        ROUND_BUDGET, CONVERGED
    }

    public RunResult {
        rounds = List.copyOf(rounds);
    }
}
