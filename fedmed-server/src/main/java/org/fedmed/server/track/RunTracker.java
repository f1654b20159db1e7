package org.fedmed.server.track;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;

/**
 * Tracks runs to the places {@link TrackingSettings} names: every row to {@link MetricFiles} and a
 * {@link TensorBoardWriter}, and to MLflow when a URL is given. {@link #listener} gives the {@link RunListener}
 * of one named run, which records {@link TrackedMetrics#of} each round as it finishes; {@link #record} adds rows
 * the engine does not know (epsilon spent, say). One tracker may serve several runs one after another (a simulation's
 * federated and personalized runs), which then share the metric files and sit side by side in TensorBoard.
 *
 * <p>The files are the record: a failure to write them is thrown, and stops the run. MLflow is a mirror: a
 * server that cannot be reached or refuses when a run is created is thrown (a wrong URL is seen at once), but a
 * failure later is logged once as a warning and that run's MLflow logging stops, while the files go on; a
 * study of hours does not end because the tracking server restarted. Not thread-safe: the engine calls listeners
 * from one thread.
 */
public final class RunTracker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunTracker.class.getName());

    private final TrackingSettings settings;
    private final MetricFiles files;
    private final TensorBoardWriter tensorBoard;
    private final MlflowClient mlflow;
    private String experimentId;
    /** Run name to its MLflow run id, for runs still being mirrored. */
    private final Map<String, String> mlflowRuns = new LinkedHashMap<>();

    private RunTracker(TrackingSettings settings) {
        this.settings = settings;
        this.files = new MetricFiles(settings.dir());
        this.tensorBoard = new TensorBoardWriter(settings.tensorBoardDir());
        this.mlflow = settings.mlflowUrl().map(MlflowClient::new).orElse(null);
    }

    public static RunTracker open(TrackingSettings settings) {
        return new RunTracker(settings);
    }

    public TrackingSettings settings() {
        return settings;
    }

    /**
     * The listener of run {@code run}; with MLflow, creates its MLflow run now, with {@code params} as its
     * parameters and tags.
     */
    public RunListener listener(String run, Map<String, String> params) {
        if (mlflow != null) {
            try {
                if (experimentId == null) {
                    experimentId = mlflow.experiment(settings.mlflowExperiment());
                }
                String id = mlflow.createRun(experimentId, run, Map.of("fedmed.run", run));
                mlflow.logBatch(id, List.of(), params, System.currentTimeMillis());
                mlflowRuns.put(run, id);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create MLflow run '" + run + "' in experiment '"
                        + settings.mlflowExperiment() + "': " + e.getMessage(), e);
            }
        }
        return new RunListener() {
            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                record(TrackedMetrics.of(run, record));
            }

            @Override
            public void runFinished(RunResult result) {
                endMlflow(run, "FINISHED");
            }
        };
    }

    /** Writes {@code rows} (of runs this tracker has a listener for, or others: files only) everywhere. */
    public void record(List<MetricRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        files.write(rows);
        tensorBoard.write(rows, now / 1000.0);
        if (mlflow == null) {
            return;
        }
        Map<String, List<MetricRow>> byRun = new LinkedHashMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new java.util.ArrayList<>()).add(r));
        byRun.forEach((run, rs) -> {
            String id = mlflowRuns.get(run);
            if (id == null) {
                return;
            }
            try {
                mlflow.logBatch(id, rs, Map.of(), now);
            } catch (IOException e) {
                mlflowRuns.remove(run);
                LOG.log(System.Logger.Level.WARNING, "MLflow logging of run '" + run + "' stopped after round "
                        + rs.getFirst().round() + " (the metric files and TensorBoard go on): " + e.getMessage());
            }
        });
    }

    /** Marks run {@code run} finished where that means something (its MLflow run); the files need nothing. */
    public void finish(String run) {
        endMlflow(run, "FINISHED");
    }

    private void endMlflow(String run, String status) {
        String id = mlflowRuns.remove(run);
        if (id == null) {
            return;
        }
        try {
            mlflow.endRun(id, status);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot mark MLflow run '" + run + "' " + status + ": "
                    + e.getMessage());
        }
    }

    /** Closes the files; an MLflow run that has not finished is marked {@code KILLED}. */
    @Override
    public void close() {
        new java.util.ArrayList<>(mlflowRuns.keySet()).forEach(run -> endMlflow(run, "KILLED"));
        try (files; tensorBoard) {
            // closes both
        }
    }
}
