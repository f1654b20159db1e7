package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.L2Clip;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.OptimizerSpec;
import org.junit.jupiter.api.Test;

/** Local training of DJL image models: it learns, reproduces from its seed, and applies FedProx and DP-SGD. */
class ImageTrainerTest {

    static final ImageModel SIMPLE_CNN = ImageModel.build(CnnSpec.simpleCnn(), FashionMnist.SHAPE, 10);

    /** Mean softmax cross-entropy of the network's current parameters, computed here from its probabilities. */
    static double meanCrossEntropy(ImageNetwork net, ImageData data) {
        float[] p = net.probabilities(data);
        double sum = 0;
        for (int i = 0; i < data.count(); i++) {
            sum -= Math.log(Math.max(p[i * data.classes() + data.labels()[i]], 1e-12));
        }
        return sum / data.count();
    }

    /** NIID-Bench's local optimizer: SGD with momentum 0.9. */
    static final ImageModel SIMPLE_CNN_MOMENTUM = ImageModel.build(
            CnnSpec.simpleCnn().withOptimizer(new OptimizerSpec.Sgd(0.9)), FashionMnist.SHAPE, 10);

    @Test
    void simpleCnnLossDecreasesOnAFashionMnistSubset() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 512);
        try (ImageNetwork net = SIMPLE_CNN_MOMENTUM.open()) {
            float[] params = SIMPLE_CNN_MOMENTUM.init(1).copyFlat();
            net.write(params);
            double before = meanCrossEntropy(net, train);
            var result = ImageTrainer.train(net, params, train, new FitConfig(3, 16, 0.05, false, 3));
            double after = meanCrossEntropy(net, train);
            // untrained: about ln 10 = 2.30; three epochs of SGD with momentum bring it well below
            assertEquals(Math.log(10), before, 0.2);
            assertTrue(after < 0.75 * before, "loss " + before + " -> " + after);
            assertEquals(3 * 512 / 16, result.steps());
            assertEquals(3, result.epochs());
            assertArrayEquals(params, net.parameters().flat(), "the network ends holding the trained parameters");
        }
    }

    @Test
    void trainingIsReproducibleFromItsSeed() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 96);
        ImageModel resnet = ImageModel.build(new ResNetSpec(4, List.of(1, 1), Activation.RELU, new OptimizerSpec.Sgd(0.9)),
                FashionMnist.SHAPE, 10);
        for (ImageModel model : List.of(SIMPLE_CNN, resnet)) {
            float[] a = model.init(5).copyFlat();
            float[] b = a.clone();
            float[] c = a.clone();
            try (ImageNetwork one = model.open(); ImageNetwork two = model.open()) {
                ImageTrainer.train(one, a, train, new FitConfig(1, 16, 0.05, false, 9));
                ImageTrainer.train(two, b, train, new FitConfig(1, 16, 0.05, false, 9));
                ImageTrainer.train(two, c, train, new FitConfig(1, 16, 0.05, false, 10));
            }
            DjlMappingTest.assertBitsEqual(a, b, model.spec().type());
            assertFalse(java.util.Arrays.equals(a, c), "another seed gives another batch order");
        }
    }

    @Test
    void localStepsContinueTheSitesDataOrderAcrossFits() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 64);
        float[] once = SIMPLE_CNN.init(2).copyFlat();
        float[] twice = once.clone();
        FitConfig four = new FitConfig(LocalWork.steps(4), 8, 0.05, false, 4);
        FitConfig two = new FitConfig(LocalWork.steps(2), 8, 0.05, false, 4);
        try (ImageNetwork net = SIMPLE_CNN.open()) {
            ImageTrainer.train(net, once, train, four, new BatchCursor(), LocalTerms.NONE, ImageGradient.PLAIN);
            BatchCursor cursor = new BatchCursor();
            ImageTrainer.train(net, twice, train, two, cursor, LocalTerms.NONE, ImageGradient.PLAIN);
            ImageTrainer.train(net, twice, train, two, cursor, LocalTerms.NONE, ImageGradient.PLAIN);
        }
        DjlMappingTest.assertBitsEqual(once, twice, "4 steps vs 2 + 2 steps");
    }

    @Test
    void fedProxsProximalTermKeepsTheModelCloserToTheGlobalOne() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 128);
        ModelParameters global = SIMPLE_CNN.init(3);
        FitConfig plain = new FitConfig(1, 16, 0.05, false, 6);
        FitConfig prox = plain.withTerms(List.of(new LocalTerm.Proximal(5.0)));
        double[] distance = new double[2];
        try (ImageNetwork net = SIMPLE_CNN.open()) {
            int k = 0;
            for (FitConfig config : List.of(plain, prox)) {
                float[] params = global.copyFlat();
                ImageTrainer.train(net, params, train, config, new BatchCursor(),
                        LocalTerms.bind(config, global.flat()), ImageGradient.PLAIN);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= global.flat()[i];
                }
                distance[k++] = L2Clip.norm(params);
            }
        }
        assertTrue(distance[1] < 0.9 * distance[0], "plain moved " + distance[0] + ", FedProx " + distance[1]);
    }

    @Test
    void dpSgdStepsMoveAtMostTheLearningRateTimesTheClipNormWithoutNoise() {
        ImageData train = FashionMnist.train(FashionMnist.directory(), 16);
        double clip = 0.01;
        double lr = 0.5;
        float[] params = SIMPLE_CNN.init(4).copyFlat();
        float[] start = params.clone();
        try (ImageNetwork net = SIMPLE_CNN.open()) {
            ImageGradient dp = ImageGradient.dpSgd(SIMPLE_CNN, clip, 0, new java.util.SplittableRandom(1));
            ImageTrainer.train(net, params, train, new FitConfig(LocalWork.steps(1), 16, lr, false, 1),
                    new BatchCursor(), LocalTerms.NONE, dp);
        }
        for (int i = 0; i < params.length; i++) {
            params[i] -= start[i];
        }
        double moved = L2Clip.norm(params);
        // the mean of 16 clipped gradients has norm <= C; float rounding adds a hair
        assertTrue(moved > 0 && moved <= lr * clip * (1 + 1e-4), "moved " + moved);
    }

    @Test
    void dpSgdRefusesModelsWithBatchNorm() {
        ImageModel resnet = ImageModel.build(new ResNetSpec(4, List.of(1), Activation.RELU, OptimizerSpec.sgd()),
                FashionMnist.SHAPE, 10);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ImageGradient.dpSgd(resnet, 1, 1, new java.util.SplittableRandom(1)));
        assertTrue(e.getMessage().contains("has batch norm"), e.getMessage());
    }
}
