package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.OptimizerSpec;
import org.junit.jupiter.api.Test;

/** Image model specs: NIID-Bench's simple-cnn is expressible, files bind strictly, layouts have the known sizes. */
class ImageModelSpecTest {

    static final String SIMPLE_CNN = """
            type: cnn
            conv:
              - {channels: 6, kernel: 5, pool: max, pool_size: 2}
              - {channels: 16, kernel: 5, pool: max, pool_size: 2}
            dense: [120, 84]
            activation: relu
            """;

    @Test
    void niidBenchSimpleCnnYamlParsesToTheBuiltInSpec() {
        assertEquals(CnnSpec.simpleCnn(), ImageModelSpec.parse(SIMPLE_CNN));
    }

    @Test
    void simpleCnnHasNiidBenchsTensorsOnMnistSizedAndCifarSizedImages() {
        // SimpleCNNMNIST: conv1 1->6 5x5, conv2 6->16 5x5, fc1 16*4*4->120, fc2 120->84, fc3 84->10
        ImageModel mnist = ImageModel.build(CnnSpec.simpleCnn(), new ImageShape(1, 28, 28), 10);
        assertEquals(List.of("conv1.weight[6, 1, 5, 5]", "conv1.bias[6]", "conv2.weight[16, 6, 5, 5]", "conv2.bias[16]",
                        "fc1.weight[120, 256]", "fc1.bias[120]", "fc2.weight[84, 120]", "fc2.bias[84]",
                        "fc3.weight[10, 84]", "fc3.bias[10]"),
                mnist.layout().entries().stream().map(ParameterLayout.Entry::toString).toList());
        assertEquals(44_426, mnist.parameterCount());
        // SimpleCNN on CIFAR-10: 16*5*5 = 400 features into fc1, the well-known 62,006 parameters of LeNet-5 there
        assertEquals(62_006, ImageModel.build(CnnSpec.simpleCnn(), new ImageShape(3, 32, 32), 10).parameterCount());
    }

    @Test
    void smallResNetHasBasicBlocksWithAProjectionShortcutWhereTheShapeChanges() {
        ImageModel m = ImageModel.build(ImageModelSpec.parse("{type: resnet, width: 4, blocks: [1, 1]}"),
                new ImageShape(1, 28, 28), 10);
        // stem 36 + bn 16; layer1.0: 144 + 16 + 144 + 16 (offsets 52..372); layer2.0: 288 + 32 + 576 + 32, then the
        // 1x1 shortcut 32 + bn 32 (from 372 + 288 + 32 + 576 + 32 = 1300); fc 90
        assertEquals(1_454, m.parameterCount());
        assertEquals(new ParameterLayout.Entry("layer2.0.downsample.0.weight", new int[]{8, 4, 1, 1}, 1300, 32),
                m.layout().entry("layer2.0.downsample.0.weight"));
        assertTrue(m.hasBatchNorm());
        int mean = m.layout().entry("bn1.running_mean").offset();
        assertFalse(m.isTrainable(mean));
        assertTrue(m.isTrainable(m.layout().entry("bn1.weight").offset()));
    }

    @Test
    void specsReadBackFromTheirJsonToEqualSpecs() {
        ImageModelSpec cnn = new CnnSpec(List.of(new ConvLayer(8, 3, 2, 1, PoolType.AVG, 3, 2), ConvLayer.of(4, 1)),
                List.of(), Activation.TANH, new OptimizerSpec.Sgd(0.9));
        ImageModelSpec resnet = new ResNetSpec(8, List.of(2, 1, 1), Activation.RELU, OptimizerSpec.adam());
        assertEquals(cnn, ImageModelSpec.parse(cnn.toJson()));
        assertEquals(resnet, ImageModelSpec.parse(resnet.toJson()));
        assertEquals("{\"type\":\"resnet\",\"width\":8,\"blocks\":[2,1,1],\"activation\":\"relu\",\"optimizer\":"
                + "{\"type\":\"adam\",\"beta1\":0.9,\"beta2\":0.999,\"epsilon\":1.0E-8}}", resnet.toJson());
    }

    @Test
    void badSpecsAreRefusedNamingTheField() {
        assertMessage("unknown key 'conv[0].kernal'", "{type: cnn, conv: [{channels: 6, kernal: 5}]}");
        assertMessage("'conv[1]': conv layer: 'kernel' must be >= 1, got 0",
                "{type: cnn, conv: [{channels: 6, kernel: 5}, {channels: 6, kernel: 0}]}");
        assertMessage("'conv[0].pool' must be one of none, max, avg, got 'mean'",
                "{type: cnn, conv: [{channels: 6, kernel: 5, pool: mean}]}");
        assertMessage("'dense' does not apply to type resnet", "{type: resnet, width: 4, blocks: [1], dense: [10]}");
        assertMessage("'width' does not apply to type cnn", "{type: cnn, width: 4, conv: [{channels: 1, kernel: 1}]}");
        assertMessage("'blocks[1]' must be >= 1, got 0", "{type: resnet, width: 4, blocks: [1, 0]}");
        assertMessage("'conv[0].channels' must be a whole number", "{type: cnn, conv: [{channels: 6.5, kernel: 5}]}");
        assertMessage("'type' must be one of cnn, resnet", "{type: mlp}");
        assertMessage("'optimizer.beta1' does not apply to optimizer type sgd",
                "{type: resnet, width: 4, blocks: [1], optimizer: {type: sgd, beta1: 0.9}}");
    }

    @Test
    void aNetworkThatShrinksTheImageToNothingIsRefusedNamingTheLayer() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageModel.build(CnnSpec.simpleCnn(),
                new ImageShape(1, 12, 12), 10));
        assertEquals("model spec: 'conv[1]' turns its 6x4x4 input into 16x0x0 (images are 1x12x12); use a smaller"
                + " kernel, stride or pool, or fewer layers", e.getMessage());
    }

    private static void assertMessage(String expected, String spec) {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageModelSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
