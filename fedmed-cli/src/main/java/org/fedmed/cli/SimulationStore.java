package org.fedmed.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RunListener;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.EngineChoice;

/**
 * Records a simulation's federated engine runs into a run store ({@code fedmed simulate --store FILE}) through the
 * recorder a server uses ({@link PersistingRunListener}): each run becomes a stored run named
 * {@code <dataset>-<regime>} with the simulation config, the seed and the engine it ran on ({@code engine}, and for
 * Spark {@code master}: the master URL, so the stored run says whether it ran embedded or on which cluster); every
 * round is recorded with its per-site metrics, claims and a checkpoint (under {@code checkpoints/} beside the store, the newest {@code keepCheckpoints}
 * kept, 0 keeping all), site failures go to the audit log, and the end marks the run {@code completed}, or
 * {@code failed} with the error when the simulation throws or is interrupted. So
 * {@code fedmed dashboard --store FILE} shows the simulation as it shows a deployment, live while it runs.
 * Simulation and deployment share only the store.
 */
final class SimulationStore implements AutoCloseable {

    /** The checkpoint folder beside the store, as a server config's default {@code checkpoints}. */
    static final String CHECKPOINTS = "checkpoints";

    private final RunStore store;
    private final SimulationConfig config;
    private final String dataset;
    private final EngineChoice engine;
    private final int keepCheckpoints;
    private final Map<String, PersistingRunListener> runs = new LinkedHashMap<>();
    private boolean closed;

    SimulationStore(Path db, SimulationConfig config, String dataset, EngineChoice engine, int keepCheckpoints) {
        if (keepCheckpoints < 0) {
            throw new IllegalArgumentException("option '--keep-checkpoints': must be >= 0 (0 keeps all), got "
                    + keepCheckpoints);
        }
        this.store = RunStore.open(db);
        this.config = config;
        this.dataset = dataset;
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        this.keepCheckpoints = keepCheckpoints;
    }

    /** The listener for the federated engine run of {@code regime}: creates its stored run. */
    synchronized RunListener open(String regime) {
        String name = dataset + "-" + regime;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", name);
        json.put("simulation", ConfigLoader.toMap(config));
        json.put("engine", engine.engine().key());
        if (!engine.master().isEmpty()) {
            json.put("master", engine.master());
        }
        String configJson;
        try {
            configJson = ConfigLoader.jsonWriter().writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config of run '" + name + "' as JSON: "
                    + e.getMessage(), e);
        }
        long id = store.createRun(name, configJson, config.seed());
        PersistingRunListener l = new PersistingRunListener(store, id, CheckpointDirectory.forRun(
                store.database().resolveSibling(CHECKPOINTS), id, keepCheckpoints),
                PlanSettings.modelSpec(config).toJson());
        runs.put(regime, l);
        return l;
    }

    /** The stored run id of each regime's run, in the order they started. */
    synchronized Map<String, Long> runIds() {
        Map<String, Long> out = new LinkedHashMap<>();
        runs.forEach((regime, l) -> out.put(regime, l.runId()));
        return out;
    }

    /** Records the simulation's exported model as an export of {@code regime}'s run after its last round. */
    synchronized void recordExport(String regime, Path model, String sha256) {
        PersistingRunListener l = runs.get(regime);
        if (l == null) {
            throw new IllegalStateException("no stored run for regime '" + regime + "'");
        }
        int last = store.lastRecordedRound(l.runId()).orElseThrow(() -> new IllegalStateException("run "
                + l.runId() + " recorded no round; there is no model to record as exported"));
        store.recordExport(l.runId(), last, model, sha256);
    }

    /**
     * Marks every stored run that is still running as ended by {@code cause} (failed, aborted or stopped); does
     * nothing once the store is closed (a shutdown hook may call it after the simulation ended).
     */
    synchronized void failed(Throwable cause) {
        if (closed) {
            return;
        }
        List<Throwable> suppressed = new ArrayList<>();
        for (PersistingRunListener l : runs.values()) {
            if (store.run(l.runId()).map(r -> r.status() == RunStatus.RUNNING).orElse(false)) {
                try {
                    l.runFailed(cause);
                } catch (RuntimeException e) {
                    suppressed.add(e);
                }
            }
        }
        suppressed.forEach(cause::addSuppressed);
    }

    Path database() {
        return store.database();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.close();
        }
    }
}
