package org.fedmed.server.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.server.FedmedVersion;

/**
 * One run's checkpoint folder: the global model after round r is {@code round-000r.safetensors} (at least four
 * digits), written atomically so that a crash leaves either the previous file or the complete new one; a strategy
 * that keeps state has it beside, in {@code round-000r.strategy.safetensors}. With
 * {@code keepLast = K > 0} only the newest K rounds are kept; {@code keepLast = 0} keeps every round.
 */
public final class CheckpointDirectory {

    private static final Pattern CHECKPOINT = Pattern.compile("round-(\\d{1,9})\\.safetensors");
    private static final Pattern TEMPORARY = Pattern.compile("\\.round-(\\d{1,9})(\\.strategy)?\\.safetensors\\..*\\.tmp");
    private static final Pattern STATE = Pattern.compile("round-(\\d{1,9})\\.strategy\\.safetensors");

    private final Path dir;
    private final int keepLast;
    /** The round of the last {@link #prune}, 0 before the first. */
    private int prunedRound;
    /** Temporary files of rounds after the last prune's, found when the folder was read, with their rounds. */
    private final Map<Path, Integer> laterLeftovers = new LinkedHashMap<>();

    /** A checkpoint folder keeping the last {@code keepLast} rounds (0 keeps all). */
    public CheckpointDirectory(Path dir, int keepLast) {
        if (dir == null) {
            throw new IllegalArgumentException("checkpoint directory is required");
        }
        if (keepLast < 0) {
            throw new IllegalArgumentException("checkpoint keep_last must be >= 0 (0 keeps all), got " + keepLast);
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.keepLast = keepLast;
    }

    /** The folder {@code root/run-<runId>}, so that runs sharing a root never overwrite each other's files. */
    public static CheckpointDirectory forRun(Path root, long runId, int keepLast) {
        return new CheckpointDirectory(root.resolve("run-" + runId), keepLast);
    }

    public Path dir() {
        return dir;
    }

    public int keepLast() {
        return keepLast;
    }

    /** Where the checkpoint of {@code round} lies (whether or not it exists). */
    public Path pathFor(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        return dir.resolve(String.format("round-%04d.safetensors", round));
    }

    /**
     * Writes the global model after {@code round} of run {@code runId}, with the run id, round, fedmed version and
     * (when not null) the model spec JSON as metadata. Returns the file and its SHA-256.
     */
    public CheckpointRef write(long runId, int round, ModelParameters global, String modelSpecJson) throws IOException {
        return write(runId, round, global, modelSpecJson, StrategyState.EMPTY);
    }

    /**
     * As {@link #write(long, int, ModelParameters, String)}, with the strategy's state after the round. A non-empty
     * state is written first, to {@code round-000r.strategy.safetensors} ({@link StrategyStateFile}), and the model
     * file's metadata names it with its SHA-256, so the SHA-256 the run store records for the model covers both.
     */
    public CheckpointRef write(long runId, int round, ModelParameters global, String modelSpecJson,
                               StrategyState state) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        if (!state.isEmpty()) {
            Path stateFile = statePathFor(round);
            meta.put(CheckpointMetadata.STRATEGY_STATE, stateFile.getFileName().toString());
            meta.put(CheckpointMetadata.STRATEGY_STATE_SHA256, StrategyStateFile.write(stateFile, state));
        }
        meta.put(CheckpointMetadata.RUN_ID, Long.toString(runId));
        meta.put(CheckpointMetadata.ROUND, Integer.toString(round));
        meta.put(CheckpointMetadata.VERSION, FedmedVersion.current());
        if (modelSpecJson != null) {
            meta.put(CheckpointMetadata.MODEL_SPEC, modelSpecJson);
        }
        Path file = pathFor(round);
        String sha = SafetensorsWriter.write(file, global, meta);
        return new CheckpointRef(file, sha);
    }

    /** Where the strategy state of {@code round} lies (whether or not it exists). */
    public Path statePathFor(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        return dir.resolve(String.format("round-%04d.strategy.safetensors", round));
    }

    /**
     * The strategy state a checkpoint names in its metadata, read back and checked against the SHA-256 it records;
     * {@link StrategyState#EMPTY} when it names none (the strategy keeps no state, or the file predates states).
     */
    public static StrategyState stateOf(Path checkpoint, Map<String, String> metadata) throws IOException {
        String name = metadata.get(CheckpointMetadata.STRATEGY_STATE);
        if (name == null) {
            return StrategyState.EMPTY;
        }
        String sha = metadata.get(CheckpointMetadata.STRATEGY_STATE_SHA256);
        if (sha == null || name.contains("/") || name.contains("\\")) {
            throw new SafetensorsFormatException(checkpoint, "names strategy state '" + name + "' without a SHA-256"
                    + " or outside its folder");
        }
        return StrategyStateFile.read(checkpoint.resolveSibling(name), sha);
    }

    /** Round numbers of the checkpoints present, ascending. */
    public List<Integer> rounds() throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = CHECKPOINT.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Applies the retention rule after {@code currentRound} was recorded: deletes checkpoints of rounds at or below
     * {@code currentRound - keepLast}, and temporary files that a crash left behind for rounds up to it. Files of
     * later rounds (left by a run that was resumed from an earlier round) are kept; they are overwritten when
     * those rounds run again. Returns the files deleted.
     *
     * <p>The first call reads the folder; later calls, as rounds are recorded one after another, delete the files of
     * the rounds that fell out of the window by name (and leftovers of later rounds once those rounds are reached),
     * so a round costs the same however many checkpoints a run keeps. Only a crash leaves temporary files, and a
     * restarted server prunes with a new instance, which reads the folder again.
     */
    public synchronized List<Path> prune(int currentRound) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        if (prunedRound == 0 || currentRound <= prunedRound) {
            scan(currentRound, deleted);
        } else if (keepLast > 0) {
            for (int r = Math.max(1, prunedRound - keepLast + 1); r <= currentRound - keepLast; r++) {
                deleteIfPresent(pathFor(r), deleted);
                deleteIfPresent(statePathFor(r), deleted);
            }
        }
        for (var it = laterLeftovers.entrySet().iterator(); it.hasNext(); ) {
            var leftover = it.next();
            if (leftover.getValue() <= currentRound) {
                deleteIfPresent(leftover.getKey(), deleted);
                it.remove();
            }
        }
        prunedRound = currentRound;
        return deleted;
    }

    private void scan(int currentRound, List<Path> deleted) throws IOException {
        laterLeftovers.clear();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Matcher ckpt = CHECKPOINT.matcher(name);
                if (!ckpt.matches()) {
                    ckpt = STATE.matcher(name);
                }
                Matcher tmp = TEMPORARY.matcher(name);
                boolean stale = keepLast > 0 && ckpt.matches() && Integer.parseInt(ckpt.group(1)) <= currentRound - keepLast;
                if (stale) {
                    deleteIfPresent(f, deleted);
                } else if (tmp.matches()) {
                    int round = Integer.parseInt(tmp.group(1));
                    if (round <= currentRound) {
                        deleteIfPresent(f, deleted);
                    } else {
                        laterLeftovers.put(f, round);
                    }
                }
            }
        }
    }

    private static void deleteIfPresent(Path f, List<Path> deleted) throws IOException {
        if (Files.deleteIfExists(f)) {
            deleted.add(f);
        }
    }
}
