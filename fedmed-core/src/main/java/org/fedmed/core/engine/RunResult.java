package org.fedmed.core.engine;

import java.util.List;
import org.fedmed.core.ModelParameters;

/**
 * The outcome of a run: the final global model, the round records its engine kept ({@link RoundHistory}: every
 * round's, or the last one's), how many rounds the run holds in all (a resumed run's earlier rounds included), and
 * why the run stopped.
 */
public record RunResult(ModelParameters finalModel, List<RoundRecord> rounds, int roundsRun, StopReason stopReason,
                        String stopDetail) {

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
        if (roundsRun < rounds.size()) {
            throw new IllegalArgumentException("a run of " + roundsRun + " rounds cannot keep " + rounds.size()
                    + " round records");
        }
    }

    /** A run that kept every round's record. */
    public RunResult(ModelParameters finalModel, List<RoundRecord> rounds, StopReason stopReason, String stopDetail) {
        this(finalModel, rounds, rounds.size(), stopReason, stopDetail);
    }
}
