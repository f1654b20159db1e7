package org.fedmed.cli;

import java.net.URI;
import java.nio.file.Path;
import org.fedmed.server.track.TrackingSettings;
import picocli.CommandLine.Option;

/** The MLflow flags of {@code simulate} and {@code server}; the metric files and TensorBoard files are always written. */
final class TrackingOptions {

    @Option(names = "--mlflow-url", paramLabel = "URL", description = "Also log the run's metrics to this MLflow"
            + " tracking server (its REST API), e.g. http://127.0.0.1:5000.")
    URI mlflowUrl;
    @Option(names = "--mlflow-experiment", paramLabel = "NAME", defaultValue = TrackingSettings.DEFAULT_EXPERIMENT,
            description = "With --mlflow-url: the experiment to log under, created if missing. Default: ${DEFAULT-VALUE}.")
    String mlflowExperiment;

    TrackingSettings settings(Path dir) {
        return TrackingSettings.files(dir).withMlflow(mlflowUrl).withMlflowExperiment(mlflowExperiment);
    }
}
