package org.fedmed.deploy.server;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.objective.Objective;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;

/**
 * What the server trains, worked out without any data: the model spec, sized from the dataset's schema (the
 * columns every site builds, with no missing-value indicators; {@link #withFeatures} resizes it to the inputs the
 * statistics exchange settled), its initial parameters from the run seed, the
 * strategy, and the engine settings; the fit settings carry the config's personalization (FedPer's personal layers
 * resolved against the model's tensor names, or Ditto's lambda), which each site applies. These are the very objects the simulation builds from the same config, so a
 * deployment and a simulation of the same config run the same rounds.
 *
 * @param features  the number of model inputs (0 for a model family that sizes its model from its own dataset
 *                  definition, such as fedmed-imaging's)
 * @param objective what the model is trained to predict, resolved once from the definition's label and the spec
 */
public record FederationPlan(ModelSpec spec, int features, Objective objective, ModelParameters initial, FitConfig fit,
                             Strategy strategy, EngineConfig engine, FederatedSetup setup) {

    /** The number of classes the objective's labels carry (0 for regression). */
    public int classes() {
        return objective.classes();
    }

    /**
     * @param population the number of sites in the federation (for DP accounting)
     * @throws IllegalArgumentException if the dataset is unknown (a registered name, or a definition file's path), or
     *                                  the config asks for what deployment cannot do
     */
    public static FederationPlan of(SimulationConfig training, int population, DatasetRegistry registry) {
        return of(training, population, registry, java.nio.file.Path.of(""));
    }

    /**
     * As {@link #of(SimulationConfig, int, DatasetRegistry)}, a relative definition path in {@code training.dataset}
     * read from {@code configFolder} (the server config's folder).
     */
    public static FederationPlan of(SimulationConfig training, int population, DatasetRegistry registry,
                                    java.nio.file.Path configFolder) {
        java.util.Optional<org.fedmed.ml.ModelSpecFamily> family = family(training, configFolder);
        if (family.isPresent()) {
            return ofFamily(family.get(), training, population, registry, configFolder);
        }
        DatasetDefinition entry = registry.definition(training.dataset(), configFolder);
        List<String> columns = Preprocessing.featureNamesWithoutIndicators(entry.schema(),
                training.oneHot());
        Objective objective = PlanSettings.objective(training, entry.labelLayout(), entry.schema().classes());
        ModelSpec spec = PlanSettings.modelSpec(training);
        ModelParameters init = initial(spec, columns.size(), objective, training.seed());
        // personal layers are resolved by tensor name, which the input count settled later does not change
        FitConfig fit = PlanSettings.fitConfig(training, init.layout());
        FederatedSetup setup = FederatedSetup.forServer(training, fit, population);
        return new FederationPlan(spec, columns.size(), objective, init, fit, setup.strategy(),
                PlanSettings.engineConfig(training, objective), setup);
    }

    /**
     * The model family (fedmed-imaging's) whose dataset definition {@code training.dataset} is, read from
     * {@code configFolder}; empty for a tabular dataset. Such a run has no statistics exchange and no tabular
     * definition check: the family's sites prepare their own data as their definitions say.
     */
    public static java.util.Optional<org.fedmed.ml.ModelSpecFamily> family(SimulationConfig training,
                                                                          java.nio.file.Path configFolder) {
        return DatasetRegistry.isDefinitionPath(training.dataset())
                ? org.fedmed.ml.ModelSpecFamily.forDataset(configFolder.resolve(training.dataset().strip()))
                : java.util.Optional.empty();
    }

    /** A plan of a family's model: sized and initialized by the family from its dataset definition. */
    private static FederationPlan ofFamily(org.fedmed.ml.ModelSpecFamily family, SimulationConfig training,
                                           int population, DatasetRegistry registry, java.nio.file.Path folder) {
        if (!(PlanSettings.modelSpec(training) instanceof ModelSpec.Extension spec)
                || !family.types().contains(spec.type())) {
            throw new IllegalArgumentException("config key 'training.model': dataset '" + training.dataset() + "' is"
                    + " a dataset definition of model types " + family.types() + ", got type '"
                    + PlanSettings.modelSpec(training).type() + "'");
        }
        var model = family.datasetModel(spec, folder.resolve(training.dataset().strip()), registry.searchRoots(),
                training.seed());
        Objective objective = new Objective.Classification(model.classes());
        FitConfig fit = PlanSettings.fitConfig(training, model.initial().layout());
        FederatedSetup setup = FederatedSetup.forServer(training, fit, population);
        return new FederationPlan(spec, 0, objective, model.initial(), fit, setup.strategy(),
                PlanSettings.engineConfig(training, objective), setup);
    }

    /**
     * This plan for a model with {@code inputs} model inputs (the number the statistics exchange settled, indicator
     * columns included), its initial parameters drawn from the run seed's init stream as the simulation draws them.
     */
    public FederationPlan withFeatures(int inputs, long runSeed) {
        return new FederationPlan(spec, inputs, objective, initial(spec, inputs, objective, runSeed), fit, strategy,
                engine, setup);
    }

    /** The initial parameters of {@code spec} for {@code inputs} and {@code objective}, from the run seed's init stream. */
    private static ModelParameters initial(ModelSpec spec, int inputs, Objective objective, long runSeed) {
        Model model = org.fedmed.ml.Models.build(spec, inputs, objective);
        return model.init(Seeds.of(runSeed, Seeds.Stream.INIT));
    }

    /** The model spec as sites see it in every task, and approve in their allow-lists. */
    public String specLabel() {
        return spec.toJson();
    }
}
