package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fedmed.core.LabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GradientCheckTest {

    private static final double EPS = 1e-3;
    private static final double REL_TOL = 1e-2;
    private static final double ABS_TOL = 5e-4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("logistic binary (bce)", spec(ModelType.LOGISTIC, List.of(), LossType.AUTO), 2),
                Arguments.of("logistic binary (2-class softmax)", spec(ModelType.LOGISTIC, List.of(), LossType.CROSS_ENTROPY), 2),
                Arguments.of("softmax regression, 3 classes", spec(ModelType.LOGISTIC, List.of(), LossType.AUTO), 3),
                Arguments.of("linear regression (mse)", spec(ModelType.LOGISTIC, List.of(), LossType.AUTO), 0),
                Arguments.of("mlp [12, 3] bce", spec(ModelType.MLP, List.of(12, 3), LossType.AUTO), 2),
                Arguments.of("mlp [12, 3] cross-entropy", spec(ModelType.MLP, List.of(12, 3), LossType.AUTO), 4),
                Arguments.of("mlp [12, 3] mse", spec(ModelType.MLP, List.of(12, 3), LossType.AUTO), 0),
                Arguments.of("mlp [3, 9] with a 10-class head", spec(ModelType.MLP, List.of(3, 9), LossType.AUTO), 10));
    }

    private static ModelSpec spec(ModelType type, List<Integer> hidden, LossType loss) {
        return new DenseSpec(type, hidden, 0, loss, 0.05, OptimizerSpec.sgd(), InitScheme.AUTO);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void analyticGradientMatchesCentralFiniteDifferencesWithL2(String name, ModelSpec spec, int classes) {
        Model model = Models.build(spec, 4, classes);
        LabeledData data = SyntheticData.random(7, 4, classes, 11);
        checkGradient(model, data, null);
    }

    @Test
    void analyticGradientMatchesFiniteDifferencesUnderAFixedDropoutMask() {
        ModelSpec spec = new DenseSpec(ModelType.MLP, List.of(12, 5), 0.3, LossType.AUTO, 0.05, OptimizerSpec.sgd(),
                InitScheme.AUTO);
        Model model = Models.build(spec, 4, 3);
        checkGradient(model, SyntheticData.random(7, 4, 3, 12), 99L);
    }

    /** Checks every parameter; a non-null dropout seed re-creates the same mask for every evaluation. */
    private static void checkGradient(Model model, LabeledData data, Long dropoutSeed) {
        float[] params = model.init(5).copyFlat();
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) (0.1 * rng.nextDouble(-1, 1));
        }
        int[] rows = identity(data.rows());
        Model.Workspace ws = model.newWorkspace(data.rows());
        float[] grad = new float[params.length];
        float[] scratch = new float[params.length];
        model.lossAndGradient(params, data, rows, 0, data.rows(), grad, ws, dropout(dropoutSeed));
        double gradNorm = 0;
        for (int i = 0; i < params.length; i++) {
            double analytic = grad[i];
            gradNorm += analytic * analytic;
            double numeric = numericDerivative(model, params, i, EPS, data, rows, scratch, ws, dropoutSeed);
            if (!close(numeric, analytic)) {
                // A ReLU input within EPS of zero bends the difference quotient; a smaller step steps past the kink.
                double finer = numericDerivative(model, params, i, EPS / 4, data, rows, scratch, ws, dropoutSeed);
                if (!close(finer, analytic)) {
                    fail("gradient of parameter " + i + " in " + model.layout().entries() + ": analytic " + analytic
                            + ", numeric " + numeric + " (step " + EPS + "), " + finer + " (step " + EPS / 4 + ")");
                }
            }
        }
        assertTrue(Math.sqrt(gradNorm) > 1e-2, "gradient should not be trivially zero");
    }

    private static boolean close(double numeric, double analytic) {
        return Math.abs(numeric - analytic) <= REL_TOL * Math.max(Math.abs(numeric), Math.abs(analytic)) + ABS_TOL;
    }

    private static double numericDerivative(Model model, float[] params, int i, double eps, LabeledData data,
                                            int[] rows, float[] scratch, Model.Workspace ws, Long dropoutSeed) {
        float saved = params[i];
        float up = (float) (saved + eps);
        float down = (float) (saved - eps);
        params[i] = up;
        double plus = objective(model, params, data, rows, scratch, ws, dropoutSeed);
        params[i] = down;
        double minus = objective(model, params, data, rows, scratch, ws, dropoutSeed);
        params[i] = saved;
        return (plus - minus) / ((double) up - down);
    }

    private static double objective(Model model, float[] params, LabeledData data, int[] rows, float[] scratch,
                                    Model.Workspace ws, Long dropoutSeed) {
        return model.lossAndGradient(params, data, rows, 0, data.rows(), scratch, ws, dropout(dropoutSeed))
                + model.regularization(params);
    }

    private static SplittableRandom dropout(Long seed) {
        return seed == null ? null : new SplittableRandom(seed);
    }

    @Test
    void batchOfIndexedRowsGivesTheSameLossAndGradientAsThoseRowsSelected() {
        Model model = Models.build(ModelSpec.mlp(6), 4, 3);
        LabeledData data = SyntheticData.random(8, 4, 3, 21);
        float[] params = model.init(3).copyFlat();
        int[] order = {7, 2, 5, 0, 3};
        float[] gradIndexed = new float[params.length];
        double lossIndexed = model.lossAndGradient(params, data, order, 1, 3, gradIndexed, model.newWorkspace(4), null);

        LabeledData picked = data.select(new int[] {2, 5, 0});
        float[] gradPicked = new float[params.length];
        double lossPicked = model.lossAndGradient(params, picked, identity(3), 0, 3, gradPicked, model.newWorkspace(3),
                null);
        assertEquals(lossPicked, lossIndexed, 1e-6);
        for (int i = 0; i < params.length; i++) {
            assertEquals(gradPicked[i], gradIndexed[i], 1e-6, "parameter " + i);
        }
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
