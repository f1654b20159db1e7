package org.fedmed.server.run;

import java.util.List;
import java.util.Objects;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.checkpoint.CheckpointRef;

/**
 * Where a run resumes: after {@code lastRound}, from the global model in that round's verified checkpoint, with
 * the records of rounds 1..lastRound and the strategy's state after that round (give it to the strategy's
 * {@code restore} before the engine runs). Pass it to the engine as
 * {@code engine.run(point.global(), point.firstRound(), point.earlier())}.
 *
 * @param earlier         rounds 1..lastRound in order; from {@link RunResumer} they are read from the store a page at
 *                        a time as they are iterated (so a long run is not held in memory), and iterating throws
 *                        {@link IllegalStateException} naming a round the store lacks
 * @param discardedRounds rounds that were recorded after {@code lastRound} and discarded because their
 *                        checkpoints were unusable (only with {@link FallbackPolicy#PREVIOUS_GOOD_ROUND}; else empty)
 */
public record ResumePoint(long runId, int lastRound, Iterable<RoundRecord> earlier, ModelParameters global,
                          CheckpointRef checkpoint, List<Integer> discardedRounds, StrategyState strategyState) {

    /** A resume point of a strategy that keeps no state. */
    public ResumePoint(long runId, int lastRound, Iterable<RoundRecord> earlier, ModelParameters global,
                       CheckpointRef checkpoint, List<Integer> discardedRounds) {
        this(runId, lastRound, earlier, global, checkpoint, discardedRounds, StrategyState.EMPTY);
    }

    public ResumePoint {
        if (strategyState == null) {
            throw new IllegalArgumentException("run " + runId + ": a strategy state is required (EMPTY for none)");
        }
        if (lastRound < 1) {
            throw new IllegalArgumentException("run " + runId + ": last round must be >= 1, got " + lastRound);
        }
        if (global == null || checkpoint == null) {
            throw new IllegalArgumentException("run " + runId + ": global model and checkpoint are required");
        }
        Objects.requireNonNull(earlier, "earlier");
        discardedRounds = List.copyOf(discardedRounds);
        if (earlier instanceof List<RoundRecord> list
                && (list.size() != lastRound || list.getLast().round() != lastRound)) {
            throw new IllegalArgumentException("run " + runId + ": resuming after round " + lastRound + " needs the "
                    + lastRound + " earlier round records, got " + list.size());
        }
    }

    /** The round the engine runs next. */
    public int firstRound() {
        return lastRound + 1;
    }
}
