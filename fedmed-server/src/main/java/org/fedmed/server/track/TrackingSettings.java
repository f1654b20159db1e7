package org.fedmed.server.track;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's metrics go: the folder of {@code metrics.csv}, {@code metrics.jsonl} and {@code tensorboard/}
 * (always written), and optionally an MLflow tracking server with the experiment to log runs under.
 */
public record TrackingSettings(Path dir, Optional<URI> mlflowUrl, String mlflowExperiment) {

    /** The MLflow experiment runs are logged under unless one is named. */
    public static final String DEFAULT_EXPERIMENT = "fedmed";
    /** The folder under {@link #dir()} that holds the TensorBoard event files. */
    public static final String TENSORBOARD = "tensorboard";

    public TrackingSettings {
        if (dir == null) {
            throw new IllegalArgumentException("tracking dir is required");
        }
        if (mlflowUrl == null) {
            throw new IllegalArgumentException("mlflowUrl must be present or empty, not null");
        }
        if (mlflowExperiment == null || mlflowExperiment.isBlank()) {
            throw new IllegalArgumentException("mlflowExperiment must be named, got '" + mlflowExperiment + "'");
        }
    }

    /** Files only, in {@code dir}. */
    public static TrackingSettings files(Path dir) {
        return new TrackingSettings(dir, Optional.empty(), DEFAULT_EXPERIMENT);
    }

    /** These settings, also logging to the MLflow server at {@code url} (none when null). */
    public TrackingSettings withMlflow(URI url) {
        return new TrackingSettings(dir, Optional.ofNullable(url), mlflowExperiment);
    }

    public TrackingSettings withMlflowExperiment(String name) {
        return new TrackingSettings(dir, mlflowUrl, name);
    }

    public Path tensorBoardDir() {
        return dir.resolve(TENSORBOARD);
    }
}
