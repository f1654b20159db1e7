package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void logisticRegressionSeparatesTwoBlobsAbove95Percent() {
        LabeledData train = SyntheticData.blobs(600, 4, 2, 1);
        LabeledData test = SyntheticData.blobs(400, 4, 2, 2);
        Model model = Models.build(ModelSpec.logistic(), 4, 2);
        float[] params = model.init(7).copyFlat();
        double before = model.loss(params, train);
        TrainingResult result = Trainer.train(model, params, train, 20, 32, 0.1, 3);
        assertTrue(model.loss(params, train) < before / 3, "loss " + before + " -> " + model.loss(params, train));
        assertTrue(result.lastEpochLoss() < before);
        assertTrue(SyntheticData.accuracy(model, params, test) > 0.95);
    }

    @Test
    void softmaxRegressionAndMlpSeparateFourBlobsAbove95Percent() {
        LabeledData train = SyntheticData.blobs(800, 5, 4, 3);
        LabeledData test = SyntheticData.blobs(400, 5, 4, 4);
        for (DenseSpec spec : new DenseSpec[] {ModelSpec.logistic(), ModelSpec.mlp(16, 8).withDropout(0.1).withOptimizer(OptimizerSpec.adam())}) {
            Model model = Models.build(spec, 5, 4);
            float[] params = model.init(1).copyFlat();
            double before = model.loss(params, train);
            Trainer.train(model, params, train, 15, 32, spec.family() == ModelType.MLP ? 0.01 : 0.1, 5);
            assertTrue(model.loss(params, train) < before / 3, spec.type() + ": loss did not drop enough");
            double accuracy = SyntheticData.accuracy(model, params, test);
            assertTrue(accuracy > 0.95, spec.type() + " accuracy " + accuracy);
        }
    }

    @Test
    void mlpLearnsACircularBoundaryThatLogisticRegressionCannot() {
        LabeledData train = SyntheticData.circle(1000, 5);
        LabeledData test = SyntheticData.circle(500, 6);
        Model mlp = Models.build(ModelSpec.mlp(32, 16).withL2(1e-4).withOptimizer(OptimizerSpec.adam()), 2, 2);
        float[] params = mlp.init(2).copyFlat();
        Trainer.train(mlp, params, train, 60, 32, 0.01, 9);
        double mlpAccuracy = SyntheticData.accuracy(mlp, params, test);
        assertTrue(mlpAccuracy > 0.95, "mlp accuracy " + mlpAccuracy);

        Model logistic = Models.build(ModelSpec.logistic(), 2, 2);
        float[] linear = logistic.init(2).copyFlat();
        Trainer.train(logistic, linear, train, 60, 32, 0.1, 9);
        assertTrue(SyntheticData.accuracy(logistic, linear, test) < 0.8);
    }

    @Test
    void linearRegressionRecoversTheTargetWithMomentumSgd() {
        LabeledData train = SyntheticData.linearRegression(500, 3, 8);
        Model model = Models.build(ModelSpec.logistic().withOptimizer(new OptimizerSpec.Sgd(0.9)), 3, 0);
        float[] params = model.init(1).copyFlat();
        Trainer.train(model, params, train, 20, 16, 0.01, 2);
        assertTrue(model.loss(params, train) < 0.01, "mse " + model.loss(params, train));
        assertEquals(2, params[0], 0.05);
        assertEquals(-1, params[1], 0.05);
        assertEquals(0, params[2], 0.05);
        assertEquals(0.5, params[3], 0.05);
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAndAnotherSeedDoesNot() {
        LabeledData data = SyntheticData.blobs(300, 6, 3, 11);
        Model model = Models.build(ModelSpec.mlp(16, 8).withDropout(0.2).withL2(1e-3).withOptimizer(OptimizerSpec.adam()), 6, 3);
        float[] a = model.init(4).copyFlat();
        float[] b = model.init(4).copyFlat();
        float[] c = model.init(4).copyFlat();
        TrainingResult ra = Trainer.train(model, a, data, 3, 32, 0.01, 77);
        TrainingResult rb = Trainer.train(model, b, data, 3, 32, 0.01, 77);
        Trainer.train(model, c, data, 3, 32, 0.01, 78);
        assertArrayEquals(a, b);
        assertEquals(ra, rb);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void stepsCountIncludesThePartialLastBatchOfEachEpoch() {
        LabeledData data = SyntheticData.blobs(100, 3, 2, 1);
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        TrainingResult result = Trainer.train(model, model.init(1).copyFlat(), data, 3, 32, 0.1, 1);
        assertEquals(3 * 4, result.steps());
        assertEquals(3, result.epochs());
        TrainingResult oneBatch = Trainer.train(model, model.init(1).copyFlat(), data, 2, 1000, 0.1, 1);
        assertEquals(2, oneBatch.steps());
    }

    @Test
    void fitConfigOverloadTrainsLikeTheExplicitArguments() {
        LabeledData data = SyntheticData.blobs(120, 3, 2, 1);
        Model model = Models.build(ModelSpec.mlp(4).withOptimizer(OptimizerSpec.adam()), 3, 2);
        float[] a = model.init(1).copyFlat();
        float[] b = model.init(1).copyFlat();
        Trainer.train(model, a, data, new FitConfig(2, 16, 0.05, false, 9));
        Trainer.train(model, b, data, 2, 16, 0.05, 9);
        assertArrayEquals(a, b);
    }

    @Test
    void divergingLearningRateStopsWithAnErrorNamingEpochStepAndLearningRate() {
        LabeledData data = SyntheticData.blobs(200, 4, 2, 1);
        Model model = Models.build(ModelSpec.mlp(8), 4, 2);
        float[] params = model.init(1).copyFlat();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.train(model, params, data, 5, 32, 1e30, 1));
        assertTrue(e.getMessage().contains("epoch 1/5"), e.getMessage());
        assertTrue(e.getMessage().contains("step "), e.getMessage());
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void badTrainingArgumentsAreRejectedBeforeAnyStep() {
        LabeledData data = SyntheticData.blobs(50, 3, 2, 1);
        Model model = Models.build(ModelSpec.logistic(), 3, 2);
        float[] params = model.init(1).copyFlat();
        float[] before = params.clone();
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, params, data, 0, 32, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, params, data, 1, 0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, params, data, 1, 32, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model, new float[3], data, 1, 32, 0.1, 1));
        Model threeClass = Models.build(ModelSpec.logistic(), 3, 3);
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(threeClass, threeClass.init(1).copyFlat(), data, 1, 32, 0.1, 1));
        assertArrayEquals(before, params);
    }
}
