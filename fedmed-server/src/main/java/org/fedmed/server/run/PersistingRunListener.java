package org.fedmed.server.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunAbortedException;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.RunStoppedException;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;

/**
 * Makes a run durable as the engine drives it. After each round it first writes the global model as a checkpoint
 * (atomically), with the strategy's state beside it, then records the round with the checkpoint's path and SHA-256 in one transaction, then applies
 * the checkpoint retention rule. A crash at any point therefore leaves the store at the last fully recorded round,
 * whose checkpoint is on disk, which is what {@link RunResumer} resumes from. Site failures go to the audit log as
 * they happen; the end of the run marks it completed with the engine's stop reason.
 *
 * <p>A checkpoint or store failure is thrown from the listener, which stops the run (the engine treats listener
 * exceptions as fatal): a run never goes on with rounds that are not durable.
 */
public final class PersistingRunListener implements RunListener {

    private final RunStore store;
    private final long runId;
    private final CheckpointDirectory checkpoints;
    private final String modelSpecJson;
    private final java.util.function.Supplier<StrategyState> strategyState;

    /**
     * @param modelSpecJson the declarative model spec as JSON, stored in every checkpoint's metadata, or
     *                      {@code null} when there is none
     */
    public PersistingRunListener(RunStore store, long runId, CheckpointDirectory checkpoints, String modelSpecJson) {
        this(store, runId, checkpoints, modelSpecJson, () -> StrategyState.EMPTY);
    }

    /**
     * As the four-argument form, writing {@code strategyState}'s answer after each round beside its checkpoint (the
     * strategy's {@code state()}: the engine calls the listener after the round's server step, so it is the state
     * the next round starts from).
     */
    public PersistingRunListener(RunStore store, long runId, CheckpointDirectory checkpoints, String modelSpecJson,
                                 java.util.function.Supplier<StrategyState> strategyState) {
        this.strategyState = strategyState;
        if (store == null || checkpoints == null) {
            throw new IllegalArgumentException("run " + runId + ": a run store and a checkpoint directory are required");
        }
        this.store = store;
        this.runId = runId;
        this.checkpoints = checkpoints;
        this.modelSpecJson = modelSpecJson;
    }

    public long runId() {
        return runId;
    }

    @Override
    public void siteFailed(SiteFailure failure) {
        AuditEvent event = switch (failure.kind()) {
            case ERROR -> AuditEvent.FAILED;
            case TIMEOUT -> AuditEvent.TIMED_OUT;
            case REJECTED -> AuditEvent.REJECTED;
        };
        store.audit(runId, failure.siteId(), event, "round " + failure.round() + ": " + failure.reason());
    }

    @Override
    public void weightCapped(int round, org.fedmed.core.strategy.WeightCaps.Capped c) {
        store.audit(runId, c.siteId(), AuditEvent.WEIGHT_CAPPED, String.format(Locale.ROOT,
                "round %d: claimed weight %.6g would have exceeded the largest site share; capped at %.6g (share %.3f)",
                round, c.weight(), c.cappedWeight(), c.share()));
    }

    @Override
    public void roundFinished(RoundRecord record, ModelParameters global) {
        CheckpointRef ref;
        try {
            ref = checkpoints.write(runId, record.round(), global, modelSpecJson, strategyState.get());
        } catch (IOException e) {
            throw new UncheckedIOException("run " + runId + " round " + record.round() + ": cannot write checkpoint "
                    + checkpoints.pathFor(record.round()) + ": " + e.getMessage(), e);
        }
        store.recordRound(runId, record, ref);
        try {
            checkpoints.prune(record.round());
        } catch (IOException e) {
            throw new UncheckedIOException("run " + runId + " round " + record.round()
                    + ": cannot remove old checkpoints in " + checkpoints.dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void runFinished(RunResult result) {
        store.finishRun(runId, RunStatus.COMPLETED, result.stopReason().name().toLowerCase(Locale.ROOT));
    }

    /**
     * Marks the run as ended by {@code cause}: {@code stopped} for a {@link RunStoppedException} (an operator's stop;
     * the run can be resumed; the reason starts with the round reached, {@code after round 3 (...)}), {@code aborted} for a {@link RunAbortedException} (too many failed rounds in a row),
     * {@code failed} for anything else. Call it from the code that catches the engine's exception.
     */
    public void runFailed(Throwable cause) {
        RunStatus status = cause instanceof RunStoppedException ? RunStatus.STOPPED
                : cause instanceof RunAbortedException ? RunStatus.ABORTED : RunStatus.FAILED;
        String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        if (cause instanceof RunStoppedException stop) {
            reason = (stop.lastFinishedRound() == 0 ? "before any round" : "after round " + stop.lastFinishedRound())
                    + " (" + reason + ")";
        }
        store.finishRun(runId, status, reason);
    }
}
