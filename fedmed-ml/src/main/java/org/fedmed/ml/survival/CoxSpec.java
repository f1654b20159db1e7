package org.fedmed.ml.survival;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.OptimizerSpec;

/**
 * A declarative description of the Cox model a site trains: its loss, L2 coefficient and local optimizer. Like
 * {@link org.fedmed.ml.ModelSpec} it is data only, and every instance is valid: the constructor rejects bad values
 * naming the field. The model itself has no other choice to make: it is linear in the features, without intercept
 * (a constant cancels out of every partial likelihood).
 *
 * @param loss      the loss and its tie handling; {@code null} means {@link CoxLoss#BRESLOW}
 * @param l2        {@code 0.5 * l2 * ||beta||^2} is added to the training objective; finite and {@code >= 0}
 * @param optimizer the local optimizer; {@code null} means plain SGD
 */
public record CoxSpec(CoxLoss loss, double l2, OptimizerSpec optimizer) implements ModelSpec.Extension {

    public CoxSpec {
        loss = loss == null ? CoxLoss.BRESLOW : loss;
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("Cox spec: 'l2' must be a finite number >= 0, got " + l2);
        }
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
    }

    /**
     * Reads a {@code type: cox} spec from YAML or JSON text (keys {@code type}, {@code loss}, {@code l2},
     * {@code optimizer}); {@code parse(spec.toJson())} equals {@code spec}.
     *
     * @throws IllegalArgumentException naming the unknown key or the bad field
     */
    public static CoxSpec parse(String yamlOrJson) {
        return CoxSpecReader.read(yamlOrJson);
    }

    /** Breslow's loss, no L2, plain SGD. */
    public static CoxSpec breslow() {
        return new CoxSpec(CoxLoss.BRESLOW, 0, OptimizerSpec.sgd());
    }

    /** FLamby's per-batch loss, no L2, plain SGD: what FLamby's federated strategies on Fed-TCGA-BRCA train with. */
    public static CoxSpec flamby() {
        return new CoxSpec(CoxLoss.FLAMBY_BATCH, 0, OptimizerSpec.sgd());
    }

    /** The same spec with another optimizer. */
    public CoxSpec withOptimizer(OptimizerSpec newOptimizer) {
        return new CoxSpec(loss, l2, newOptimizer);
    }

    /** The same spec with another L2 coefficient. */
    public CoxSpec withL2(double newL2) {
        return new CoxSpec(loss, newL2, optimizer);
    }

    /** {@code cox}: a member of the {@link ModelSpec} family that {@code CoxTrainer} trains. */
    @Override
    public String type() {
        return "cox";
    }

    /** The spec as an ordered map in file spelling, for provenance. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "cox");
        m.put("loss", loss.key());
        m.put("l2", l2);
        m.put("optimizer", optimizer.toMap());
        return m;
    }
}
