package org.fedmed.server.run;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;

/**
 * Finds where an interrupted run picks up: its last recorded round, the records of all rounds up to it, and the
 * global model and the strategy's state from that round's checkpoint, read back and checked against the SHA-256 the
 * store recorded (which covers the state file through the checkpoint's metadata). The
 * result is exactly what {@code RoundEngine.run(initial, firstRound, earlier)} needs, so a resumed run continues
 * as if it had never stopped.
 *
 * <p>A missing or corrupt checkpoint is an error naming the file, unless {@link FallbackPolicy#PREVIOUS_GOOD_ROUND}
 * is asked for. Resuming sets the run back to {@code running} and writes the resume to the audit log.
 */
public final class RunResumer {

    /** Earlier rounds read at a time when the engine replays them: a few megabytes, however long the run. */
    static final int ROUNDS_PER_PAGE = 500;

    private final RunStore store;
    private final java.util.Map<Integer, StrategyState> states = new java.util.HashMap<>();

    public RunResumer(RunStore store) {
        if (store == null) {
            throw new IllegalArgumentException("a run store is required");
        }
        this.store = store;
    }

    /**
     * Resumes the most recent run with this name.
     *
     * @return empty when the run recorded no round yet: start it again from round 1 with its initial model
     * @throws IllegalArgumentException no run has this name
     * @throws ResumeException          the checkpoint to resume from is unusable (see {@link FallbackPolicy})
     */
    public Optional<ResumePoint> resume(String runName, FallbackPolicy policy) {
        RunInfo run = store.latestRun(runName).orElseThrow(() -> new IllegalArgumentException(
                "no run named '" + runName + "' in " + store.database()));
        return resume(run.id(), policy);
    }

    /** As {@link #resume(String, FallbackPolicy)}, by run id. */
    public Optional<ResumePoint> resume(long runId, FallbackPolicy policy) {
        RunInfo run = store.run(runId).orElseThrow(() -> new IllegalArgumentException(
                "no run with id " + runId + " in " + store.database()));
        OptionalInt last = store.lastRecordedRound(runId);
        if (last.isEmpty()) {
            reopen(run, "restarting from round 1: no round was recorded");
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (int round = last.getAsInt(); round >= 1; round--) {
            Optional<SafetensorsFile> loaded = load(run, round, problems);
            if (loaded.isPresent()) {
                return Optional.of(resumeAt(run, round, last.getAsInt(), loaded.get(), problems));
            }
            if (policy != FallbackPolicy.PREVIOUS_GOOD_ROUND) {
                throw new ResumeException("cannot resume run " + runId + " ('" + run.name() + "') after "
                        + problems.getLast() + ". Restore the file, or resume with fallback policy "
                        + FallbackPolicy.PREVIOUS_GOOD_ROUND + " to continue from the latest earlier intact checkpoint"
                        + " (the rounds after it are discarded and run again)");
            }
        }
        throw new ResumeException("cannot resume run " + runId + " ('" + run.name() + "'): no recorded round has a"
                + " usable checkpoint: " + String.join("; ", problems));
    }

    /** Loads and verifies a round's checkpoint, or adds "round r: what is wrong" to {@code problems}. */
    private Optional<SafetensorsFile> load(RunInfo run, int round, List<String> problems) {
        Optional<CheckpointRef> ref = store.checkpoint(run.id(), round);
        if (ref.isEmpty()) {
            problems.add("round " + round + ": the round was recorded without a checkpoint");
            return Optional.empty();
        }
        Path file = ref.get().path();
        try {
            SafetensorsFile model = SafetensorsReader.readVerified(file, ref.get().sha256());
            states.put(round, CheckpointDirectory.stateOf(file, model.metadata()));
            return Optional.of(model);
        } catch (NoSuchFileException e) {
            problems.add("round " + round + ": checkpoint " + file + " is missing");
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            problems.add("round " + round + ": " + (msg.contains(file.toString()) ? msg : "checkpoint " + file
                    + " cannot be read: " + msg));
        }
        return Optional.empty();
    }

    private ResumePoint resumeAt(RunInfo run, int round, int lastRecorded, SafetensorsFile file, List<String> problems) {
        List<Integer> discarded = List.of();
        if (round < lastRecorded) {
            discarded = store.discardRoundsAfter(run.id(), round, "resuming from round " + round
                    + ", the latest with an intact checkpoint: " + String.join("; ", problems));
        }
        CheckpointRef ref = store.checkpoint(run.id(), round).orElseThrow();
        reopen(run, "resuming after round " + round + " from " + ref.path());
        Iterable<RoundRecord> earlier = store.roundsUpTo(run.id(), round, ROUNDS_PER_PAGE);
        return new ResumePoint(run.id(), round, earlier, file.parameters(), ref, discarded, states.get(round));
    }

    private void reopen(RunInfo run, String detail) {
        store.reopenRun(run.id(), detail + (run.status() == RunStatus.RUNNING ? "" : " (was "
                + run.status().dbValue() + ")"));
    }
}
