package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.core.LocalWork;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.sim.HyperparameterSearch;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.SimulationData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedmed tune}: grid search of site hyperparameters on validation splits carved from training data. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grid-searches the site learning rate, local epochs and batch size for the federated regime.",
                "Each candidate is scored on a validation split carved from every site's training data;",
                "the test splits are never read. Prints the ranking and writes tune.json."})
final class TuneCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--grid-lr", split = ",", defaultValue = "0.003,0.01,0.03,0.1,0.3", description = "Learning rates to try.")
    List<Double> lrs;
    @Option(names = "--grid-local-epochs", split = ",", defaultValue = "1,2,5", description = "Local epochs to try.")
    List<Integer> epochs;
    @Option(names = "--grid-batch-size", split = ",", defaultValue = "16,32", description = "Batch sizes to try.")
    List<Integer> batches;
    @Option(names = "--validation-fraction", defaultValue = "0.2", description = "Share of training rows held out.")
    double validationFraction;
    @Option(names = "--out", paramLabel = "DIR", description = "Where tune.json goes. Default: results/tune-<time>.")
    Path out;
    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        SimulationConfig cfg = run.resolve();
        Path dir = ReportFolder.settle(out, "tune");
        checkGrid(cfg);
        FederatedDataset data = SimulationData.load(cfg, DatasetRegistry.fromEnvironment());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("fedmed tune: %s, %d rounds, strategy %s, %d candidates, validation %.0f%% of training rows%n",
                data.name(), cfg.rounds(), cfg.strategy().name(), lrs.size() * epochs.size() * batches.size(),
                validationFraction * 100);
        var outcome = new HyperparameterSearch(cfg, ProgressBarReporter.onStderr(noProgress))
                .run(data, lrs, epochs, batches, validationFraction);
        stdout.printf("%n%-4s %8s %6s %6s %14s %14s%n", "rank", "lr", "E", "B", "val_" + outcome.criterion(),
                "val_" + outcome.headline());
        int rank = 1;
        for (var t : outcome.trials()) {
            stdout.printf(Locale.ROOT, "%-4d %8s %6d %6d %14.4f %14.4f%n", rank++, t.candidate().lr(),
                    t.candidate().localEpochs(), t.candidate().batchSize(),
                    t.validation().getOrDefault(outcome.criterion(), Double.NaN),
                    t.validation().getOrDefault(outcome.headline(), Double.NaN));
        }
        var best = outcome.best().candidate();
        stdout.printf(Locale.ROOT, "%nbest: lr %s, local_epochs %d, batch_size %d%n", best.lr(), best.localEpochs(), best.batchSize());
        Files.createDirectories(dir);
        Path file = dir.resolve("tune.json");
        ConfigLoader.jsonWriter().writeValue(file.toFile(),
                        java.util.Map.of("config", cfg, "outcome", outcome));
        stdout.println("written to " + file);
        stdout.flush();
        return 0;
    }

    /**
     * Every grid value checked before any candidate runs, each against the run's own (valid) other settings, so an
     * error names the flag and value at fault instead of stopping the grid half way with the config key.
     */
    private void checkGrid(SimulationConfig cfg) {
        for (double lr : lrs) {
            checkValue("--grid-lr", lr, () -> cfg.withLocalTraining(lr, cfg.localWork(), cfg.batchSize()));
        }
        for (int e : epochs) {
            checkValue("--grid-local-epochs", e, () -> cfg.withLocalTraining(cfg.lr(), LocalWork.epochs(e), cfg.batchSize()));
        }
        for (int b : batches) {
            checkValue("--grid-batch-size", b, () -> cfg.withLocalTraining(cfg.lr(), cfg.localWork(), b));
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--validation-fraction must lie in (0, 1), got " + validationFraction);
        }
    }

    private static void checkValue(String flag, Object value, Runnable build) {
        try {
            build.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " value " + value + ": " + e.getMessage(), e);
        }
    }
}
