package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.fedmed.core.ModelParameters;
import org.junit.jupiter.api.Test;

/** Parameters map both ways between a DJL block and our named tensors, bit for bit, and the forward pass with them. */
class DjlMappingTest {

    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    /** Random bits that are finite floats, with awkward values (signed zeros, subnormals, extremes) mixed in. */
    static ModelParameters randomParameters(ImageModel model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] flat = new float[model.parameterCount()];
        float[] awkward = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -1e-30f};
        for (int i = 0; i < flat.length; i++) {
            float v;
            do {
                v = Float.intBitsToFloat(rng.nextInt());
            } while (!Float.isFinite(v));
            flat[i] = i < awkward.length ? awkward[i] : v;
        }
        return ModelParameters.ofFlat(model.layout(), flat);
    }

    static ImageData images(ImageShape shape, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[count * shape.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new ImageData(px, labels, count, shape, 10);
    }

    @Test
    void randomParametersSurviveOursToDjlToOursBitForBit() {
        for (ImageModelSpec spec : new ImageModelSpec[]{CnnSpec.simpleCnn(),
                new ResNetSpec(4, java.util.List.of(1, 1), Activation.RELU, org.fedmed.ml.OptimizerSpec.sgd())}) {
            ImageModel model = ImageModel.build(spec, MNIST, 10);
            ModelParameters ours = randomParameters(model, 7);
            try (ImageNetwork first = model.open(); ImageNetwork second = model.open()) {
                first.load(ours);
                ModelParameters back = first.parameters();
                assertBitsEqual(ours.flat(), back.flat(), spec.type());
                // and from ours again into a fresh block: DJL -> ours -> DJL
                second.load(back);
                assertBitsEqual(ours.flat(), second.parameters().flat(), spec.type());
            }
        }
    }

    @Test
    void forwardOutputIsUnchangedAfterARoundTripThroughOurParameters() {
        for (ImageModelSpec spec : new ImageModelSpec[]{CnnSpec.simpleCnn(),
                new ResNetSpec(4, java.util.List.of(1, 1), Activation.RELU, org.fedmed.ml.OptimizerSpec.sgd())}) {
            ImageModel model = ImageModel.build(spec, MNIST, 10);
            ImageData x = images(MNIST, 5, 3);
            try (ImageNetwork first = model.open(); ImageNetwork second = model.open()) {
                first.load(model.init(11));
                // a training-mode pass moves the ResNet's batch-norm running statistics inside the block only
                float[] grad = new float[model.parameterCount()];
                first.lossAndGradient(x, new int[]{0, 1, 2, 3, 4}, 0, 5, grad);
                float[] logits = first.logits(x);
                ModelParameters read = first.parameters();
                assertEquals(model.hasBatchNorm(), !model.init(11).equals(read), spec.type());
                second.load(read);
                assertBitsEqual(logits, second.logits(x), spec.type() + " logits");
            }
        }
    }

    @Test
    void batchNormRunningStatisticsAreParametersThatTrainingModeUpdates() {
        ImageModel model = ImageModel.build(new ResNetSpec(4, java.util.List.of(1), Activation.RELU,
                org.fedmed.ml.OptimizerSpec.sgd()), MNIST, 10);
        ImageData x = images(MNIST, 4, 5);
        try (ImageNetwork net = model.open()) {
            net.load(model.init(1));
            net.lossAndGradient(x, new int[]{0, 1, 2, 3}, 0, 4, new float[model.parameterCount()]);
            ModelParameters after = net.parameters();
            // PyTorch's momentum 0.1 from mean 0: running_mean = 0.1 * batch mean, which is not 0 for this batch
            assertNotEquals(0f, after.tensor("bn1.running_mean").values()[0]);
            assertNotEquals(1f, after.tensor("bn1.running_var").values()[0]);
        }
    }

    @Test
    void parametersOfAnotherLayoutAreRefused() {
        ImageModel cnn = ImageModel.build(CnnSpec.simpleCnn(), MNIST, 10);
        ImageModel other = ImageModel.build(CnnSpec.simpleCnn(), MNIST, 5);
        try (ImageNetwork net = cnn.open()) {
            var e = assertThrows(IllegalArgumentException.class, () -> net.load(other.init(1)));
            assertTrue(e.getMessage().contains("fc3.weight[5, 84]"), e.getMessage());
        }
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": value " + i + " is " + actual[i] + " but was " + expected[i]);
            }
        }
    }
}
