package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.sim.PrivacyTradeoff;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.TradeoffWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedmed dp-tradeoff}: DP-FedAvg's pooled test metrics (the objective's: accuracy and ROC AUC, RMSE and R²,
 * or the C-index) against the epsilon it spends, over a range of noise.
 */
@Command(name = "dp-tradeoff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the federated regime without privacy and with DP-FedAvg at each noise multiplier,",
                "on the same splits and seed, and reports pooled test metrics against epsilon.",
                "Writes tradeoff.json, tradeoff.csv and tradeoff.png to --out."})
final class TradeoffCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Mixin
    RunOptions run = new RunOptions();
    @Option(names = "--noise", split = ",", defaultValue = "0.5,1,2,4,8", description = "Noise multipliers to try.")
    List<Double> noise;
    @Option(names = "--clip-norm", defaultValue = "1.0", description = "Clip norm C of each site's delta.")
    double clipNorm;
    @Option(names = "--delta", defaultValue = "1e-5", description = "delta of the (epsilon, delta) guarantee.")
    double delta;
    @Option(names = "--dp-noise", defaultValue = "central", description = "central or local.")
    String placement;
    @Option(names = "--out", paramLabel = "DIR", description = "Report folder. Default: results/dp-tradeoff-<time>.")
    Path out;
    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        SimulationConfig flags = run.resolve();
        Path dir = ReportFolder.settle(out, "dp-tradeoff");
        SimulationConfig cfg = flags.dp() != null ? flags : ConfigLoader.parse("", "dp-tradeoff", withDp(flags));
        FederatedDataset data = SimulationData.load(cfg, DatasetRegistry.fromEnvironment());
        PrintWriter stdout = spec.commandLine().getOut();
        var result = new PrivacyTradeoff(cfg, ProgressBarReporter.onStderr(noProgress)).run(data, noise);
        stdout.printf("%n%-8s %12s", "z", "epsilon");
        result.metrics().forEach(m -> stdout.printf(" %10s", m));
        stdout.println();
        for (var p : result.points()) {
            stdout.printf(Locale.ROOT, "%-8s %12s", p.noiseMultiplier() == null ? "none" : p.noiseMultiplier().toString(),
                    Double.isInfinite(p.epsilon()) ? "inf" : String.format(Locale.ROOT, "%.3f", p.epsilon()));
            for (String m : result.metrics()) {
                stdout.printf(Locale.ROOT, " %10.4f", p.pooled().getOrDefault(m, Double.NaN));
            }
            stdout.println();
        }
        stdout.printf(Locale.ROOT, "delta %.1e, %d rounds, %d sites; written %s%n", cfg.dp().delta(), cfg.rounds(),
                data.sites().size(), new TradeoffWriter().write(result, dir));
        stdout.flush();
        return 0;
    }

    private java.util.Map<String, Object> withDp(SimulationConfig flags) {
        java.util.Map<String, Object> o = ConfigLoader.toMap(flags);
        o.put("dp", java.util.Map.of("clip_norm", clipNorm, "delta", delta, "noise", placement));
        return o;
    }
}
