package org.fedmed.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.core.objective.Objective;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;

/**
 * The model, local-training and round-engine settings a {@link SimulationConfig} stands for. Simulation and a
 * deployment server both build their runs from these three methods, so one config trains the same model with the
 * same budget whichever of the two runs it.
 */
public final class PlanSettings {

    private PlanSettings() {
    }

    /** The model spec the config names (logistic regression when it names none). */
    public static ModelSpec modelSpec(SimulationConfig config) {
        return config.model().isNull() ? ModelSpec.logistic()
                : ModelSpec.parse(config.model().toString());
    }

    /**
     * What the config's model is trained to predict on a dataset whose label rule gives {@code classes} classes (the
     * definition's label kind: {@code binary} 2, {@code multiclass} its levels, {@code continuous} 0): a classification, or a regression trained with the model spec's loss
     * ({@code mae}, else squared error). Simulation and a deployment server both resolve it here, once, and pass it
     * on to the model, the engine settings and the reports.
     *
     * @throws IllegalArgumentException if the spec's loss does not fit the labels
     */
    public static Objective objective(SimulationConfig config, int classes) {
        return Models.objective(modelSpec(config), classes);
    }

    /**
     * As {@link #objective(SimulationConfig, int)} for labels laid out as {@code layout}: a survival label
     * ({@code TIME_AND_EVENT}) is the survival objective of a {@code cox} model, and any other model on it is refused.
     *
     * @throws IllegalArgumentException if the model does not train on such labels
     */
    public static Objective objective(SimulationConfig config, org.fedmed.core.objective.LabelLayout layout,
                                      int classes) {
        return Models.objective(modelSpec(config), layout, classes);
    }

    /**
     * The local training settings every site gets: E epochs or S steps, batch B, learning rate, weights or delta, and
     * the strategy's local terms (FedProx's proximal term).
     */
    public static FitConfig fitConfig(SimulationConfig config) {
        return new FitConfig(config.localWork(), config.batchSize(), config.lr(), config.send() == SendMode.DELTA,
                config.seed(), config.strategy().localTerms());
    }

    /**
     * The settings of a fit that carries the config's personalization on a model of {@code layout}: those of
     * {@link #fitConfig(SimulationConfig)} plus FedPer's personal layers (the {@code personal_layers} prefixes resolved
     * to tensor indices of {@code layout}) or Ditto's lambda. Without a {@code personalization} section, or with
     * {@code kind: finetune} (which trains after the run, not in its fits), it is {@link #fitConfig(SimulationConfig)}.
     * The simulation's {@code personalized} regime and a deployment server both build their fits here.
     *
     * @throws IllegalArgumentException naming {@code personalization.personal_layers}, if a prefix matches no tensor
     *                                  of {@code layout} or the prefixes match all of them
     */
    public static FitConfig fitConfig(SimulationConfig config, ParameterLayout layout) {
        FitConfig fit = fitConfig(config);
        if (config.personalization() == null) {
            return fit;
        }
        List<LocalTerm> terms = new ArrayList<>(fit.terms());
        terms.addAll(config.personalization().localTerms(layout));
        return fit.withTerms(terms);
    }

    /**
     * How the round engine runs the federated regime, in simulation and on a deployment server alike: round budget
     * and early stopping, per-round deadline, evaluation every round on the objective's watched loss, the bound on
     * any one site's influence (its weight share, claimed-count growth, and {@code aggregation.max_update_norm}), and
     * the fewest rows an answer may rest on.
     */
    public static EngineConfig engineConfig(SimulationConfig config, Objective objective) {
        return new EngineConfig(new StoppingRule(config.rounds(), config.patience(), config.minDelta()),
                Duration.ofSeconds(config.roundDeadlineSeconds()), 1, objective.watchedLoss(), 3,
                config.seed(), new InfluenceLimits(config.maxSiteWeightShare(), config.maxCountGrowth(),
                        config.strategy().maxUpdateNorm()),
                config.minRows());
    }
}
