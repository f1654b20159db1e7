package org.fedmed.core.strategy;

import java.util.Locale;

/**
 * How the server turns a round's aggregate into the next global model (Reddi et al. 2021, "Adaptive Federated
 * Optimization", Algorithm 2, and Hsu et al. 2019 for server momentum). With x the global model and
 * Delta = aggregate - x the round's pseudo-gradient:
 * <ul>
 *   <li>{@link Kind#SGD}: x + lr Delta (lr = 1 is plain FedAvg);</li>
 *   <li>{@link Kind#MOMENTUM} (FedAvgM): v = momentum v + Delta, x + lr v;</li>
 *   <li>{@link Kind#ADAM}, {@link Kind#YOGI}, {@link Kind#ADAGRAD}: m = beta1 m + (1 - beta1) Delta and
 *       x + lr m / (sqrt(v) + tau), where v = beta2 v + (1 - beta2) Delta^2 (Adam),
 *       v = v - (1 - beta2) Delta^2 sign(v - Delta^2) (Yogi), or v = v + Delta^2 (Adagrad).</li>
 * </ul>
 * Moments start at m = 0, v = 0 for momentum, and v = tau^2 for the adaptive kinds (Algorithm 2 asks for
 * v_{-1} >= tau^2); no bias correction is applied, as in the paper. Every value is checked, naming its config key.
 *
 * @param kind         the rule
 * @param learningRate the server learning rate eta ({@code server_lr}), positive and finite
 * @param momentum     FedAvgM's momentum in [0, 1) ({@code server_optimizer.momentum}); ignored by the other kinds
 * @param beta1        first-moment decay in [0, 1) ({@code server_optimizer.beta1}); adaptive kinds only
 * @param beta2        second-moment decay in [0, 1) ({@code server_optimizer.beta2}); Adam and Yogi only
 * @param tau          adaptivity in (0, inf) ({@code server_optimizer.tau}); adaptive kinds only
 */
public record ServerOptimizerSettings(Kind kind, double learningRate, double momentum, double beta1, double beta2,
                                      double tau) {

    /** The server step rules fedmed implements. */
    public enum Kind {
        SGD, MOMENTUM, ADAM, YOGI, ADAGRAD;

        /** The rule's name in configs and messages: {@code sgd}, {@code momentum}, {@code adam}, ... */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the rule keeps a second moment and divides by its square root. */
        public boolean adaptive() {
            return this == ADAM || this == YOGI || this == ADAGRAD;
        }
    }

    public ServerOptimizerSettings {
        if (kind == null) {
            throw new IllegalArgumentException("a server optimizer kind is required");
        }
        check(learningRate > 0 && Double.isFinite(learningRate), "server_lr", "a positive finite number", learningRate);
        check(momentum >= 0 && momentum < 1, "server_optimizer.momentum", "in [0, 1)", momentum);
        check(beta1 >= 0 && beta1 < 1, "server_optimizer.beta1", "in [0, 1)", beta1);
        check(beta2 >= 0 && beta2 < 1, "server_optimizer.beta2", "in [0, 1)", beta2);
        check(tau > 0 && Double.isFinite(tau), "server_optimizer.tau", "a positive finite number", tau);
    }

    /** Plain server SGD at {@code learningRate}: FedAvg when it is 1. */
    public static ServerOptimizerSettings sgd(double learningRate) {
        return new ServerOptimizerSettings(Kind.SGD, learningRate, 0, 0.9, 0.99, 1e-3);
    }

    /** Whether this is the identity step of plain FedAvg (SGD at learning rate 1), which keeps no state. */
    public boolean isIdentity() {
        return kind == Kind.SGD && learningRate == 1;
    }

    /** A fresh optimizer with these settings and empty state. */
    public ServerOptimizer newOptimizer() {
        return new ServerOptimizer(this);
    }

    private static void check(boolean ok, String key, String expected, double got) {
        if (!ok) {
            throw new IllegalArgumentException("config key '" + key + "' must be " + expected + ", got " + got);
        }
    }
}
