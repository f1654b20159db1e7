package org.fedmed.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.plan.Regime;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;

/**
 * The utility/epsilon trade-off of DP-FedAvg on one federation: the federated regime runs once without
 * privacy and once per noise multiplier, on the same splits and seed, and each run's pooled test metrics are
 * paired with the epsilon it spent.
 */
public final class PrivacyTradeoff {

    /** One run: its noise multiplier (null for the non-private baseline), epsilon spent, and pooled test metrics. */
    public record Point(Double noiseMultiplier, double epsilon, double delta, int rounds, Map<String, Double> pooled) {
    }

    /**
     * The baseline first, then one point per noise multiplier in the order given.
     *
     * @param metrics  the objective's reported metrics ({@link org.fedmed.sim.report.ReportedMetrics}), in column order
     * @param headline the objective's headline metric
     */
    public record Result(String dataset, SimulationConfig config, List<Point> points, List<String> metrics,
                         String headline) {
        public Result {
            metrics = List.copyOf(metrics);
        }
    }

    private final SimulationConfig base;
    private final ExperimentProgress progress;

    public PrivacyTradeoff(SimulationConfig base, ExperimentProgress progress) {
        if (base.dp() == null) {
            throw new IllegalArgumentException("the trade-off needs DP settings (clip_norm, delta, sampling) in the config's 'dp' section");
        }
        this.base = base;
        this.progress = progress == null ? ExperimentProgress.SILENT : progress;
    }

    public Result run(FederatedDataset data, List<Double> noiseMultipliers) {
        List<Point> points = new ArrayList<>();
        progress.phase("privacy trade-off", noiseMultipliers.size() + 1);
        ComparisonReport plain = new ComparisonExperiment(with(null), ExperimentProgress.SILENT).run(data);
        points.add(new Point(null, Double.POSITIVE_INFINITY, base.dp().delta(), plain.federated().roundsRun(),
                plain.regimes().get("federated").pooled()));
        progress.step("no DP");
        for (double z : noiseMultipliers) {
            ComparisonReport r = new ComparisonExperiment(with(z), ExperimentProgress.SILENT).run(data);
            points.add(new Point(z, r.federated().privacy().epsilon(), base.dp().delta(), r.federated().roundsRun(),
                    r.regimes().get("federated").pooled()));
            progress.step("z " + z);
        }
        progress.phaseDone();
        return new Result(data.name(), base, points, org.fedmed.sim.report.ReportedMetrics.of(plain.objective()),
                plain.objective().headlineMetric());
    }

    /** The base config, federated regime only, without DP or with DP at noise multiplier z and no budget. */
    private SimulationConfig with(Double noiseMultiplier) {
        SimulationConfig federated = base.withRegimes(List.of(Regime.FEDERATED));
        return noiseMultiplier == null ? federated.withDp(null)
                : federated.withDp(base.dp().withNoiseMultiplier(noiseMultiplier).withoutTargetEpsilon());
    }
}
