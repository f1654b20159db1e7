package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.ExperimentProgress;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.export.SimulationExport;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.ComparisonTable;
import org.fedmed.sim.report.PopulationTable;
import org.fedmed.sim.report.ReportTracking;
import org.fedmed.sim.report.ReportWriter;
import org.fedmed.server.track.MetricFiles;
import org.fedmed.server.track.RunTracker;
import org.fedmed.server.track.TrackingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.fedmed.plan.PlanSettings;

/** {@code fedmed simulate}: local-only vs federated vs centralized on one dataset, in one process. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates a federation in one process and compares three regimes on the same splits:",
                "local-only (each site alone), federated, and centralized (pooled training data).",
                "Writes results.json, results.csv, rounds.csv, PNG plots, report.html (one self-contained page),",
                "metrics.csv, metrics.jsonl and TensorBoard event files (tensorboard/) to --out."})
final class SimulateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: results/<dataset>-<time>.")
    Path out;
    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;
    @picocli.CommandLine.Mixin
    LogOptions log = new LogOptions();
    @picocli.CommandLine.Mixin
    TrackingOptions tracking = new TrackingOptions();
    @picocli.CommandLine.Mixin
    EngineOptions engine = new EngineOptions();
    @Option(names = "--store", paramLabel = "FILE", description = "Also record each federated run (rounds, per-site"
            + " metrics, claims, checkpoints, failures, status) in this run store (SQLite, created if missing), so"
            + " `fedmed dashboard --store FILE` shows it, live while it runs.")
    Path store;
    @Option(names = "--keep-checkpoints", paramLabel = "N", description = "With --store: checkpoints kept per run"
            + " in checkpoints/ beside the store, the newest N (0 keeps all). Default: 3, as a server's"
            + " keep_checkpoints.")
    Integer keepCheckpoints;

    /** The population the run is over, when the config has a 'population' section. */
    private org.fedmed.data.population.Population population;

    @Override
    public Integer call() throws IOException {
        if (store == null && keepCheckpoints != null) {
            throw new IllegalArgumentException("option '--keep-checkpoints' needs --store");
        }
        if (keepCheckpoints == null) {
            keepCheckpoints = 3;
        } else if (keepCheckpoints < 0) {
            throw new IllegalArgumentException("option '--keep-checkpoints': must be >= 0 (0 keeps all), got "
                    + keepCheckpoints);
        }
        org.fedmed.sim.EngineChoice engineChoice = engine.choice();
        SimulationConfig cfg = run.resolve();
        if (out != null) {
            ReportFolder.checked(out); // before the run, so a bad --out costs no run
        }
        if (engineChoice.engine() != org.fedmed.sim.SimulationEngine.IN_PROCESS && cfg.population() == null) {
            throw new IllegalArgumentException("--engine " + engineChoice.engine().key() + " simulates a population of"
                    + " virtual sites (a plan with a population: block); this plan's sites come from dataset '"
                    + cfg.dataset() + "' and run in process");
        }
        PrintWriter stdout = log.console(spec.commandLine().getOut(), "simulate", null);
        if (cfg.population() != null && ImageSimulate.applies(cfg)) {
            throw new IllegalArgumentException("config key 'population': a population draws table rows; image"
                    + " datasets and models simulate over their own sites");
        }
        if (ImageSimulate.applies(cfg)) {
            return ImageSimulate.run(cfg, out, stdout);
        }
        DatasetRegistry registry = DatasetRegistry.fromEnvironment();
        FederatedDataset data;
        if (cfg.population() != null) {
            SimulationData.PopulationData pop = SimulationData.population(cfg, registry);
            population = pop.population();
            data = pop.sample();
            stdout.printf("fedmed simulate: population of %d virtual sites (%s), %s per round, %d region(s)%s,"
                            + " evaluated on a sample of %d; model %s, strategy %s, %d rounds x %s, seed %d%n",
                    population.size(), population.name(), cfg.sitesPerRound() > 0 ? cfg.sitesPerRound() + " sampled"
                            : "a fraction " + cfg.fraction() + " sampled", population.regionCount(),
                    cfg.population().hierarchical() ? ", aggregated by region" : "", data.sites().size(),
                    PlanSettings.modelSpec(cfg).type(), cfg.strategy().name(), cfg.rounds(),
                    cfg.localWork().describe(), cfg.seed());
            stdout.println("engine: " + engineChoice.describe());
        } else {
            data = SimulationData.load(cfg, registry);
            stdout.printf("fedmed simulate: %s, %d sites %s, model %s, strategy %s, %d rounds x %s, seed %d%n",
                    data.name(), data.sites().size(), data.siteIds(), PlanSettings.modelSpec(cfg).type(),
                    cfg.strategy().name(), cfg.rounds(), cfg.localWork().describe(), cfg.seed());
        }
        data.warnings().forEach(w -> stdout.println("warning: " + w));
        ExperimentProgress progress = log.format() == org.fedmed.server.log.LogFormat.JSON && !noProgress
                ? new LogProgress(new org.fedmed.server.log.EventLog(new PrintWriter(System.err, true,
                java.nio.charset.StandardCharsets.UTF_8), org.fedmed.server.log.LogFormat.JSON))
                : ProgressBarReporter.onStderr(noProgress);
        if (store == null) {
            return simulate(cfg, stdout, data, progress, null, engineChoice);
        }
        try (SimulationStore recorder = new SimulationStore(store, cfg, data.name(), engineChoice, keepCheckpoints)) {
            // SIGINT or SIGTERM ends the JVM mid-run: the stored runs say so instead of staying 'running'
            Thread onSignal = new Thread(() -> recorder.failed(new IllegalStateException(
                    "the simulation was interrupted (SIGINT or SIGTERM)")), "fedmed-simulate-stop");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                return simulate(cfg, stdout, data, progress, recorder, engineChoice);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running; it records the interruption
                }
            }
        }
    }

    private int simulate(SimulationConfig cfg, PrintWriter stdout, FederatedDataset data, ExperimentProgress progress,
                         SimulationStore recorder, org.fedmed.sim.EngineChoice engineChoice) throws IOException {
        ComparisonExperiment experiment = new ComparisonExperiment(cfg, progress);
        if (population != null) {
            experiment = experiment.withPopulation(population).withEngine(engineChoice);
        }
        ComparisonReport report;
        try {
            report = (recorder == null ? experiment : experiment.withRunListeners(recorder::open)).run(data);
        } catch (RuntimeException e) {
            if (recorder != null) {
                recorder.failed(e);
            }
            throw e;
        }
        Path dir = ReportFolder.settle(out, data.name());
        List<Path> files = new java.util.ArrayList<>(new ReportWriter().write(report, dir));
        boolean exportable = data.sites().stream().allMatch(site -> site.preprocessor().isPresent());
        if (report.federated() != null && !exportable) {
            stdout.println("the federated model is not exported: a wearable population's features are generated on"
                    + " a unit scale, with no preprocessing to export with the model");
        }
        if (report.federated() != null && exportable) {
            Path model = dir.resolve(SimulationExport.MODEL_FILE);
            String sha = SimulationExport.write(report, data, cfg, model);
            if (recorder != null) {
                recorder.recordExport(org.fedmed.plan.Regime.FEDERATED.key(), model, sha);
            }
            files.add(model);
            files.add(ModelExporter.provenancePath(model));
        }
        try (RunTracker tracker = RunTracker.open(tracking.settings(dir))) {
            ReportTracking.record(report, tracker, java.util.Map.of("dataset", data.name(), "seed",
                    Long.toString(cfg.seed()), "strategy", cfg.strategy().name(), "rounds", Integer.toString(cfg.rounds())));
        }
        files.add(dir.resolve(MetricFiles.CSV));
        files.add(dir.resolve(MetricFiles.JSONL));
        files.add(dir.resolve(TrackingSettings.TENSORBOARD));
        stdout.println();
        stdout.print(ComparisonTable.render(report));
        report.warnings().forEach(w -> stdout.println("warning: " + w));
        if (report.federated() != null) {
            report.federated().noRoundAggregated().ifPresent(w -> stdout.println("warning: " + w));
        }
        stdout.println();
        if (report.federated() != null) {
            stdout.printf("federated: %d rounds run, stopped by %s (%s)%n", report.federated().roundsRun(),
                    report.federated().stopReason().replace('_', ' '), report.federated().stopDetail());
        }
        if (report.population() != null) {
            stdout.print(PopulationTable.render(report.population()));
        }
        stdout.println("report written to " + dir + ": " + files.stream().map(p -> p.getFileName().toString()).toList());
        if (recorder != null) {
            stdout.println("recorded in " + recorder.database() + " as runs " + recorder.runIds()
                    + "; fedmed dashboard --store " + store + " --insecure-local-only shows them");
        }
        stdout.flush();
        return 0;
    }

}
