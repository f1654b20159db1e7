package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each server optimizer against its published rule over three rounds (Reddi et al. 2021, Algorithm 2; Hsu et al.
 * 2019 for momentum). Starting at x = (1, -2), each round's aggregate is the current model plus the pseudo-gradient
 * (0.5, -0.25), then (-0.2, 0.1), then (0.3, 0.4). The expected models were worked out by hand from the update
 * rules in double precision (beta1 0.9, beta2 0.99, tau 1e-3, m = 0, v = tau^2 for the adaptive rules).
 */
class ServerOptimizerTest {

    private static final float[][] DELTAS = {{0.5f, -0.25f}, {-0.2f, 0.1f}, {0.3f, 0.4f}};

    private static List<float[]> threeRounds(ServerOptimizerSettings settings) {
        ServerOptimizer opt = settings.newOptimizer();
        ModelParameters x = model(1f, -2f);
        List<float[]> out = new java.util.ArrayList<>();
        for (float[] d : DELTAS) {
            x = opt.step(x, model(x.flat()[0] + d[0], x.flat()[1] + d[1]));
            out.add(x.copyFlat());
        }
        return out;
    }

    private static ModelParameters model(float a, float b) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{a, b})));
    }

    private static void assertRounds(double[][] expected, List<float[]> got) {
        for (int r = 0; r < expected.length; r++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[r][i], got.get(r)[i], 2e-6, "round " + (r + 1) + ", coordinate " + i);
            }
        }
    }

    private static ServerOptimizerSettings of(ServerOptimizerSettings.Kind kind, double lr) {
        return new ServerOptimizerSettings(kind, lr, 0.9, 0.9, 0.99, 1e-3);
    }

    @Test
    void sgdStepsByTheServerLearningRateTimesThePseudoGradient() {
        assertRounds(new double[][]{{1.25, -2.125}, {1.15, -2.075}, {1.3, -1.875}},
                threeRounds(of(ServerOptimizerSettings.Kind.SGD, 0.5)));
    }

    @Test
    void fedAvgMAccumulatesMomentumAcrossRounds() {
        assertRounds(new double[][]{{1.5, -2.25}, {1.75, -2.375}, {2.275, -2.0875}},
                threeRounds(of(ServerOptimizerSettings.Kind.MOMENTUM, 1.0)));
    }

    @Test
    void fedAdamFollowsTheAdaptiveRuleWithExponentialSecondMoment() {
        assertRounds(new double[][]{{1.09802019, -2.09608071}, {1.14378413, -2.14099984}, {1.22816954, -2.08243251}},
                threeRounds(of(ServerOptimizerSettings.Kind.ADAM, 0.1)));
    }

    @Test
    void fedYogiMovesTheSecondMomentAdditivelyBySign() {
        assertRounds(new double[][]{{1.09802, -2.09607997}, {1.14358977, -2.14081167}, {1.22738564, -2.08241069}},
                threeRounds(of(ServerOptimizerSettings.Kind.YOGI, 0.1)));
    }

    @Test
    void fedAdagradSumsSquaredPseudoGradients() {
        assertRounds(new double[][]{{1.00998002, -2.00996008}, {1.01461379, -2.01458525}, {1.02311661, -2.00863513}},
                threeRounds(of(ServerOptimizerSettings.Kind.ADAGRAD, 0.1)));
    }

    @Test
    void plainFedAvgReturnsTheAggregateItself() {
        ModelParameters aggregate = model(3f, 4f);
        assertSame(aggregate, ServerOptimizerSettings.sgd(1).newOptimizer().step(model(1f, 1f), aggregate));
    }

    @Test
    void anOptimizerRestoredFromItsStateContinuesBitForBit() {
        ServerOptimizerSettings adam = of(ServerOptimizerSettings.Kind.ADAM, 0.1);
        ServerOptimizer straight = adam.newOptimizer();
        ModelParameters x = model(1f, -2f);
        ModelParameters y = x;
        ServerOptimizer first = adam.newOptimizer();
        x = straight.step(x, model(1.5f, -2.25f));
        y = first.step(y, model(1.5f, -2.25f));
        ServerOptimizer resumed = adam.newOptimizer();
        resumed.restore(first.state());
        for (float[] d : new float[][]{{-0.2f, 0.1f}, {0.3f, 0.4f}}) {
            ModelParameters ax = model(x.flat()[0] + d[0], x.flat()[1] + d[1]);
            ModelParameters ay = model(y.flat()[0] + d[0], y.flat()[1] + d[1]);
            x = straight.step(x, ax);
            y = resumed.step(y, ay);
        }
        assertArrayEquals(x.flat(), y.flat());
        assertEquals(3, resumed.steps());
    }

    @Test
    void aFreshOptimizerGivenAnotherRunsStateRefusesAMismatchedModel() {
        ServerOptimizer small = of(ServerOptimizerSettings.Kind.ADAM, 0.1).newOptimizer();
        small.step(model(0f, 0f), model(1f, 1f));
        ServerOptimizer other = of(ServerOptimizerSettings.Kind.ADAM, 0.1).newOptimizer();
        other.restore(small.state());
        ModelParameters three = ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
        var e = assertThrows(IllegalArgumentException.class, () -> other.step(three, three));
        assertTrue(e.getMessage().contains("holds 2 values but the model has 3"), e.getMessage());
    }

    @Test
    void settingsNameTheConfigKeyOfABadValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ServerOptimizerSettings(
                ServerOptimizerSettings.Kind.ADAM, 0.1, 0.9, 1.0, 0.99, 1e-3));
        assertEquals("config key 'server_optimizer.beta1' must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerOptimizerSettings.sgd(0));
        assertEquals("config key 'server_lr' must be a positive finite number, got 0.0", e.getMessage());
    }
}
