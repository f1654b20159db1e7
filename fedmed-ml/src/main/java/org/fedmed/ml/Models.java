package org.fedmed.ml;

import org.fedmed.core.objective.LabelLayout;
import org.fedmed.core.objective.Objective;
import org.fedmed.ml.nn.DenseNetwork;
import org.fedmed.ml.survival.CoxMetrics;
import org.fedmed.ml.survival.CoxNetwork;
import org.fedmed.ml.survival.CoxSpec;

/**
 * Builds the {@link Model} a {@link ModelSpec} describes, and resolves the {@link Objective} a spec trains for a
 * dataset's labels. The only way from a spec to something that trains.
 */
public final class Models {

    private Models() {
    }

    /**
     * The objective {@code spec} trains on labels with {@code classes} classes (0 for a numeric target): a
     * classification with that many classes, or a regression whose loss is the spec's ({@code mae}, else squared
     * error). This is the one place a class count and a spec become an objective; a plan calls it once.
     *
     * @throws IllegalArgumentException if {@code classes} is negative or 1, or the spec's loss does not fit
     */
    public static Objective objective(ModelSpec spec, int classes) {
        return objective(spec, classes == 0 ? LabelLayout.TARGET : LabelLayout.CLASS_INDEX, classes);
    }

    /**
     * The objective {@code spec} trains on labels laid out as {@code layout} with {@code classes} classes: survival
     * for a Cox spec on time-and-event labels, else as {@link #objective(ModelSpec, int)} says.
     *
     * @throws IllegalArgumentException if the spec's family does not train on such labels (a Cox model on a class or
     *                                  target, a dense network on a survival label), naming both
     */
    public static Objective objective(ModelSpec spec, LabelLayout layout, int classes) {
        boolean survivalLabel = layout == LabelLayout.TIME_AND_EVENT;
        if (spec instanceof CoxSpec) {
            if (!survivalLabel) {
                throw new IllegalArgumentException("model spec: type 'cox' trains on a survival label (label kind"
                        + " survival: a time and an event column), but the dataset's label is "
                        + (classes == 0 ? "a numeric target" : "a class of " + classes));
            }
            return CoxMetrics.objective();
        }
        if (survivalLabel) {
            throw new IllegalArgumentException("model spec: type '" + spec.type() + "' does not train on a survival"
                    + " label (a time and an event column); use model type 'cox'");
        }
        LossType loss = spec instanceof DenseSpec d ? d.loss() : LossType.AUTO;
        Objective objective = Objective.forClasses(classes, loss.regressionLoss());
        if (spec instanceof DenseSpec d) {
            d.loss().resolve(objective);
        }
        return objective;
    }

    /**
     * The model for {@code spec} with {@code inputDim} features, trained for {@code objective}.
     *
     * @throws IllegalArgumentException if the dimensions are invalid, the spec's loss does not fit the objective,
     *                                  or the spec's family is not built here (naming its type)
     */
    public static Model build(ModelSpec spec, int inputDim, Objective objective) {
        return switch (spec) {
            case DenseSpec dense -> new DenseNetwork(dense, inputDim, objective);
            case CoxSpec cox -> new CoxNetwork(cox, inputDim, objective);
            case ModelSpec.Extension other -> throw new IllegalArgumentException("model spec: type '" + other.type()
                    + "' is not a dense network; it is built by its own module's trainer, not by Models.build");
        };
    }

    /**
     * The model for {@code spec} with {@code inputDim} features on labels with {@code classes} classes (0 for a
     * numeric target): {@code build(spec, inputDim, objective(spec, classes))}.
     */
    public static Model build(ModelSpec spec, int inputDim, int classes) {
        return build(spec, inputDim, objective(spec, classes));
    }
}
