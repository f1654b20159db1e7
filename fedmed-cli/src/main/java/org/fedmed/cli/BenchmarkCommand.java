package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.StrategyBenchmark;
import org.fedmed.sim.report.BenchmarkWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedmed benchmark}: strategies x datasets x partitions over seeds, with the two baselines, mean +/- sd. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs every strategy on every dataset and partition for every seed, on the same splits,",
                "with the local-only and centralized baselines, and reports pooled test metrics as mean +/- sd",
                "over the seeds. Writes benchmark.csv, summary.csv, benchmark.json and benchmark.png to --out."})
final class BenchmarkCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--strategies", split = ",", defaultValue = "fedavg,fedprox,fedyogi,fedadam,fedadagrad,cyclic",
            description = "Strategies to compare. Default: FLamby's list (fedavg, fedprox, fedyogi, fedadam,"
                    + " fedadagrad, cyclic).")
    List<String> strategies;
    @Option(names = "--datasets", split = ",", description = "Datasets (names or definition files). Default: the"
            + " config's dataset.")
    List<String> datasets;
    @Option(names = "--partitions", split = ",", defaultValue = "iid,dirichlet", description = "Partitions for"
            + " datasets without natural sites; a dataset with its own sites runs once, as 'natural'.")
    List<String> partitions;
    @Option(names = "--seeds", split = ",", defaultValue = "42,43,44,45,46", description = "Seeds.")
    List<Long> seeds;
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: results/benchmark-<time>.")
    Path out;
    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        SimulationConfig base = run.resolve();
        Path dir = ReportFolder.settle(out, "benchmark");
        List<String> ds = datasets == null || datasets.isEmpty() ? List.of(base.dataset()) : datasets;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("fedmed benchmark: strategies %s on %s, partitions %s, seeds %s, %d rounds x %s%n", strategies,
                ds, partitions, seeds, base.rounds(), base.localWork().describe());
        stdout.flush();
        StrategyBenchmark.Result result = new StrategyBenchmark(base, DatasetRegistry.fromEnvironment(),
                ProgressBarReporter.onStderr(noProgress)).run(strategies, ds, partitions, seeds);
        List<Path> files = new BenchmarkWriter().write(result, dir);
        stdout.println();
        stdout.print(BenchmarkWriter.table(result));
        stdout.printf(Locale.ROOT, "%d runs in %.1f s, peak heap %.0f MiB; written to %s: %s%n", result.cells().size(),
                result.wallMillis() / 1000.0, result.peakHeapBytes() / 1048576.0, dir,
                files.stream().map(p -> p.getFileName().toString()).toList());
        return 0;
    }
}
