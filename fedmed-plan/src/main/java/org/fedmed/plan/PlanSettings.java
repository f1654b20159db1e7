package org.fedmed.plan;

import java.time.Duration;
import org.fedmed.core.FitConfig;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.InfluenceLimits;
import org.fedmed.ml.ModelSpec;

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
     * The local training settings every site gets: E epochs or S steps, batch B, learning rate, weights or delta, and
     * the strategy's local terms (FedProx's proximal term).
     */
    public static FitConfig fitConfig(SimulationConfig config) {
        return new FitConfig(config.localWork(), config.batchSize(), config.lr(), config.send() == SendMode.DELTA,
                config.seed(), config.strategy().localTerms());
    }

    /**
     * How the round engine runs the federated regime, in simulation and on a deployment server alike: round budget
     * and early stopping, per-round deadline, evaluation every round on the loss of the task's kind, the bound on
     * any one site's influence, and the fewest rows an answer may rest on.
     */
    public static EngineConfig engineConfig(SimulationConfig config, int classes) {
        return new EngineConfig(new StoppingRule(config.rounds(), config.patience(), config.minDelta()),
                Duration.ofSeconds(config.roundDeadlineSeconds()), 1, classes == 0 ? "mse" : "log_loss", 3,
                config.seed(), new InfluenceLimits(config.maxSiteWeightShare(), config.maxCountGrowth()),
                config.minRows());
    }
}
