package org.fedmed.ml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer a site uses for local training, as data: SGD with momentum or Adam. The learning rate is
 * not part of it; it comes with each fit task. Values are validated on construction, with errors that
 * name the field.
 */
public sealed interface OptimizerSpec {

    /** The optimizer's settings as a map in spec-file spelling, for provenance. */
    Map<String, Object> toMap();

    /** Plain SGD (momentum 0). */
    static OptimizerSpec sgd() {
        return new Sgd(0);
    }

    /** Adam with the usual defaults beta1 0.9, beta2 0.999, epsilon 1e-8. */
    static OptimizerSpec adam() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    /** SGD with heavy-ball momentum in [0, 1): v = momentum * v + g; p -= lr * v. */
    record Sgd(double momentum) implements OptimizerSpec {
        public Sgd {
            requireUnitInterval(momentum, "optimizer.momentum");
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "sgd");
            m.put("momentum", momentum);
            return m;
        }
    }

    /** Adam with bias correction; beta1 and beta2 in [0, 1), epsilon > 0. */
    record Adam(double beta1, double beta2, double epsilon) implements OptimizerSpec {
        public Adam {
            requireUnitInterval(beta1, "optimizer.beta1");
            requireUnitInterval(beta2, "optimizer.beta2");
            if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("model spec: 'optimizer.epsilon' must be a positive finite number, got "
                        + epsilon);
            }
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "adam");
            m.put("beta1", beta1);
            m.put("beta2", beta2);
            m.put("epsilon", epsilon);
            return m;
        }
    }

    private static void requireUnitInterval(double value, String field) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("model spec: '" + field + "' must be in [0, 1), got " + value);
        }
    }

    /**
     * The optimizer a model spec's {@code optimizer} section names, from its keys as written ({@code null} for
     * absent): sgd (momentum, default 0) or adam (beta1 0.9, beta2 0.999, epsilon 1e-8 by default). A key the type
     * does not use is refused naming it, as is a missing or unknown type.
     */
    public static OptimizerSpec fromKeys(String type, Double momentum, Double beta1, Double beta2, Double epsilon) {
        if (type == null) {
            throw new IllegalArgumentException("model spec: 'optimizer.type' is required (sgd, adam)");
        }
        return switch (type) {
            case "sgd" -> {
                refuseFor("sgd", "beta1", beta1);
                refuseFor("sgd", "beta2", beta2);
                refuseFor("sgd", "epsilon", epsilon);
                yield new Sgd(momentum == null ? 0 : momentum);
            }
            case "adam" -> {
                refuseFor("adam", "momentum", momentum);
                yield new Adam(beta1 == null ? 0.9 : beta1, beta2 == null ? 0.999 : beta2,
                        epsilon == null ? 1e-8 : epsilon);
            }
            default -> throw new IllegalArgumentException("model spec: 'optimizer.type' must be one of sgd, adam, got '"
                    + type + "'");
        };
    }

    private static void refuseFor(String type, String key, Double value) {
        if (value != null) {
            throw new IllegalArgumentException("model spec: 'optimizer." + key + "' does not apply to optimizer type "
                    + type);
        }
    }
}
