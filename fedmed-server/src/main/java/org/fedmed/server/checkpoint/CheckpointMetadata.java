package org.fedmed.server.checkpoint;

/**
 * The {@code __metadata__} keys fedmed writes into its safetensors files, so that a checkpoint found on disk
 * tells which run and round it belongs to and which fedmed version wrote it.
 */
public final class CheckpointMetadata {

    /** The run store's id of the run. */
    public static final String RUN_ID = "fedmed.run_id";
    /** The round after which the parameters were taken. */
    public static final String ROUND = "fedmed.round";
    /** The fedmed version that wrote the file. */
    public static final String VERSION = "fedmed.version";
    /** The declarative model spec, as JSON, when the writer was given one. */
    public static final String MODEL_SPEC = "fedmed.model_spec";

    /**
     * The file name (in the same folder) of the strategy state written with the checkpoint, when the strategy keeps
     * state; the model file's recorded SHA-256 covers it through {@link #STRATEGY_STATE_SHA256}.
     */
    public static final String STRATEGY_STATE = "fedmed.strategy_state";
    /** The SHA-256 of the strategy state file, checked when it is read back. */
    public static final String STRATEGY_STATE_SHA256 = "fedmed.strategy_state_sha256";

    private CheckpointMetadata() {
    }
}
