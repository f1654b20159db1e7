package org.fedmed.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.fedmed.core.LocalWork;
import org.fedmed.core.Seeds;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.plan.Regime;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;

/**
 * Chooses the site learning rate, local epochs and batch size honestly: each candidate runs the federated
 * regime on a validation split carved out of every site's training data, and the winner is the candidate with
 * the lowest example-weighted validation value of the objective's watched loss (log loss for a classification,
 * MSE or MAE for a regression, as its spec trains) after the last round. The test splits
 * are never read.
 */
public final class HyperparameterSearch {

    /** One point of the grid. */
    public record Candidate(double lr, int localEpochs, int batchSize) {
    }

    /** A candidate and the federated validation metrics it reached after the last round. */
    public record Trial(Candidate candidate, Map<String, Double> validation) {
    }

    /** Every trial, best first, and the criterion they were ranked by. */
    public record Outcome(String criterion, double validationFraction, List<Trial> trials) {
        public Trial best() {
            return trials.getFirst();
        }
    }

    private final SimulationConfig base;
    private final ExperimentProgress progress;

    public HyperparameterSearch(SimulationConfig base, ExperimentProgress progress) {
        this.base = base;
        this.progress = progress == null ? ExperimentProgress.SILENT : progress;
    }

    /**
     * Runs the grid on {@code data}'s training splits.
     *
     * @param validationFraction share of each site's training rows held out for validation
     */
    public Outcome run(FederatedDataset data, List<Double> lrs, List<Integer> epochs, List<Integer> batches,
                       double validationFraction) {
        FederatedDataset validation = data.validationSplit(validationFraction,
                Seeds.of(base.seed(), Seeds.Stream.VALIDATION_SPLIT));
        String criterion = org.fedmed.plan.PlanSettings.objective(base, data.labelLayout(), data.classes()).watchedLoss();
        List<Trial> trials = new ArrayList<>();
        int total = lrs.size() * epochs.size() * batches.size();
        progress.phase("tuning " + total + " candidates", total);
        for (double lr : lrs) {
            for (int e : epochs) {
                for (int b : batches) {
                    SimulationConfig cfg = base.withLocalTraining(lr, LocalWork.epochs(e), b).withRegimes(List.of(Regime.FEDERATED))
                            .withPatience(0);
                    ComparisonReport report = new ComparisonExperiment(cfg, ExperimentProgress.SILENT).run(validation);
                    List<Map<String, Double>> curve = report.regimes().get("federated").curve();
                    trials.add(new Trial(new Candidate(lr, e, b), curve.getLast()));
                    progress.step("lr " + lr + ", E " + e + ", B " + b);
                }
            }
        }
        progress.phaseDone();
        trials.sort(Comparator.comparingDouble(t -> {
            Double v = t.validation().get(criterion);
            return v == null || v.isNaN() ? Double.POSITIVE_INFINITY : v;
        }));
        return new Outcome(criterion, validationFraction, trials);
    }
}
