package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedmed.sim.export.ModelPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed predict}: applies an exported model, with its stored preprocessing, to a CSV of raw rows. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Applies an exported model to raw rows in the dataset's own column format: each row is"
                + " preprocessed as the training rows were (imputation, clipping, standardization and one-hot"
                + " encoding with the statistics stored beside the model) and scored. Writes the rows with"
                + " probability and prediction columns.")
final class PredictCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "The model (.safetensors) with its .provenance.json beside it.")
    Path model;
    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "Raw rows, with a header line.")
    Path csv;
    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the scored rows. Default: beside the"
            + " CSV, its name without .csv followed by .predictions.csv.")
    Path out;
    @Option(names = "--site", paramLabel = "ID",
            description = "Whose preprocessing to apply, when each site used its own statistics (stats: per_site).")
    String site;
    @Option(names = "--preprocessing", paramLabel = "FILE",
            description = "Preprocessing to apply instead of the one in the provenance: for a deployment's model, the"
                    + " -preprocessing.json a site wrote beside its audit log.")
    Path preprocessing;

    @Override
    public Integer call() throws Exception {
        ModelPredictor predictor = ModelPredictor.load(model, Optional.ofNullable(site), Optional.ofNullable(preprocessing));
        Path target = out != null ? out : csv.resolveSibling(stem(csv) + ".predictions.csv");
        int rows = predictor.predictCsv(csv, target);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("scored %d rows of %s with %s (%d inputs); written to %s%n", rows, csv, model,
                predictor.inputs().size(), target);
        stdout.flush();
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }
}
