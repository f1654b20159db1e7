package org.fedmed.ml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelSpec} member for dense networks (types {@code logistic} and {@code mlp}): family, hidden layer
 * sizes, dropout, loss, L2 coefficient, optimizer and initialization. It is data only (YAML or JSON), so a
 * coordinator can tell a site what to train but never ship code to it. Every instance is valid: the constructor
 * rejects bad values with an {@link IllegalArgumentException} whose message names the field. {@link #toMap()} and
 * {@link #toJson()} give the spec back in file spelling, and {@code ModelSpec.parse(spec.toJson())} equals
 * {@code spec}.
 *
 * <pre>
 * type: mlp            # logistic | mlp
 * hidden: [32, 16]     # mlp only
 * dropout: 0.1         # mlp only, in [0, 1)
 * loss: auto           # auto | bce | cross_entropy | mse
 * l2: 0.0001           # 0.5 * l2 * sum of squared weights (not biases) is added to the loss
 * optimizer: {type: adam, beta1: 0.9, beta2: 0.999, epsilon: 1e-8}   # or {type: sgd, momentum: 0.9}
 * init: he             # auto (default) | he | xavier | torch_linear (PyTorch's nn.Linear default)
 * </pre>
 *
 * @param family    model family ({@code type} in the file); required
 * @param hidden    hidden layer widths, non-empty for mlp and empty for logistic; {@code null} means empty
 * @param dropout   probability of dropping a hidden unit during training; must be 0 for logistic
 * @param loss      training loss; {@code null} means auto
 * @param l2        L2 coefficient on weights, >= 0
 * @param optimizer optimizer; {@code null} means plain SGD
 * @param init      weight initialization; {@code null} means auto
 */
public record DenseSpec(ModelType family, List<Integer> hidden, double dropout, LossType loss, double l2,
                        OptimizerSpec optimizer, InitScheme init) implements ModelSpec {

    public DenseSpec {
        if (family == null) {
            throw new IllegalArgumentException("model spec: 'type' is required (logistic, mlp)");
        }
        hidden = checkHidden(family, hidden == null ? List.of() : hidden);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("model spec: 'dropout' must be in [0, 1), got " + dropout);
        }
        if (family == ModelType.LOGISTIC && dropout != 0) {
            throw new IllegalArgumentException("model spec: 'dropout' applies to type mlp only, got " + dropout
                    + " for logistic");
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("model spec: 'l2' must be a finite number >= 0, got " + l2);
        }
        loss = loss == null ? LossType.AUTO : loss;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
        init = init == null ? InitScheme.AUTO : init;
    }

    private static List<Integer> checkHidden(ModelType type, List<Integer> hidden) {
        if (type == ModelType.LOGISTIC && !hidden.isEmpty()) {
            throw new IllegalArgumentException("model spec: 'hidden' applies to type mlp only, got " + hidden
                    + " for logistic");
        }
        if (type == ModelType.MLP && hidden.isEmpty()) {
            throw new IllegalArgumentException("model spec: 'hidden' must list at least one layer width for type mlp");
        }
        for (int i = 0; i < hidden.size(); i++) {
            Integer width = hidden.get(i);
            if (width == null || width < 1) {
                throw new IllegalArgumentException("model spec: 'hidden[" + i + "]' must be a width >= 1, got " + width);
            }
        }
        return List.copyOf(hidden);
    }

    /** Logistic regression (softmax or linear regression, depending on the task), auto loss, no L2, plain SGD. */
    public static DenseSpec logistic() {
        return new DenseSpec(ModelType.LOGISTIC, List.of(), 0, LossType.AUTO, 0, OptimizerSpec.sgd(), InitScheme.AUTO);
    }

    /**
     * An MLP with the given hidden widths, no dropout, auto loss, no L2 and plain SGD: what a spec file with only
     * {@code type} and {@code hidden} gives.
     */
    public static DenseSpec mlp(int... hidden) {
        List<Integer> widths = new ArrayList<>();
        for (int h : hidden) {
            widths.add(h);
        }
        return new DenseSpec(ModelType.MLP, widths, 0, LossType.AUTO, 0, OptimizerSpec.sgd(), InitScheme.AUTO);
    }

    /** The same spec with another L2 coefficient. */
    public DenseSpec withL2(double newL2) {
        return new DenseSpec(family, hidden, dropout, loss, newL2, optimizer, init);
    }

    /** The same spec with another optimizer. */
    public DenseSpec withOptimizer(OptimizerSpec newOptimizer) {
        return new DenseSpec(family, hidden, dropout, loss, l2, newOptimizer, init);
    }

    /** The same spec with another dropout probability. */
    public DenseSpec withDropout(double newDropout) {
        return new DenseSpec(family, hidden, newDropout, loss, l2, optimizer, init);
    }

    /** The same spec with another loss. */
    public DenseSpec withLoss(LossType newLoss) {
        return new DenseSpec(family, hidden, dropout, newLoss, l2, optimizer, init);
    }

    /** {@code logistic} or {@code mlp}. */
    @Override
    public String type() {
        return family.key();
    }

    /** The spec as an ordered map in file spelling (mlp-only keys omitted for logistic), for provenance. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", family.key());
        if (family == ModelType.MLP) {
            m.put("hidden", hidden);
            m.put("dropout", dropout);
        }
        m.put("loss", loss.key());
        m.put("l2", l2);
        m.put("optimizer", optimizer.toMap());
        m.put("init", init.key());
        return m;
    }

}
