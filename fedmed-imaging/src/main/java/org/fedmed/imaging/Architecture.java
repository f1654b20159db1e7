package org.fedmed.imaging;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a spec, an input shape and a class count into a DJL block and, in the same pass, the list of its tensors in
 * the order {@code block.getParameters()} returns them, so the layout and the block cannot drift apart. Building a
 * block touches no native code; the block gets its arrays only when {@link ImageNetwork} initializes it.
 */
final class Architecture {

    private final List<Slot> slots = new ArrayList<>();
    private final SequentialBlock block = new SequentialBlock();
    private final Activation activation;

    private Architecture(Activation activation) {
        this.activation = activation;
    }

    static Architecture of(ImageModelSpec spec, ImageShape input, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("an image model needs >= 2 classes, got " + classes);
        }
        Architecture a = new Architecture(spec.activation());
        switch (spec) {
            case CnnSpec cnn -> a.cnn(cnn, input, classes);
            case ResNetSpec resnet -> a.resnet(resnet, input, classes);
        }
        return a;
    }

    List<Slot> slots() {
        return List.copyOf(slots);
    }

    Block block() {
        return block;
    }

    private void cnn(CnnSpec spec, ImageShape input, int classes) {
        int c = input.channels();
        int h = input.height();
        int w = input.width();
        for (int i = 0; i < spec.conv().size(); i++) {
            ConvLayer layer = spec.conv().get(i);
            int h2 = layer.outputSize(h);
            int w2 = layer.outputSize(w);
            if (h2 < 1 || w2 < 1) {
                throw new IllegalArgumentException("model spec: 'conv[" + i + "]' turns its " + c + "x" + h + "x" + w
                        + " input into " + layer.channels() + "x" + h2 + "x" + w2 + " (images are " + input
                        + "); use a smaller kernel, stride or pool, or fewer layers");
            }
            String name = "conv" + (i + 1);
            int k = layer.kernel();
            block.add(Conv2d.builder().setKernelShape(new Shape(k, k)).optStride(new Shape(layer.stride(), layer.stride()))
                    .optPadding(new Shape(layer.padding(), layer.padding())).setFilters(layer.channels()).build());
            int fanIn = c * k * k;
            slots.add(new Slot(name + ".weight", "weight", new int[]{layer.channels(), c, k, k}, true,
                    Slot.Init.FAN_IN_UNIFORM, fanIn));
            slots.add(new Slot(name + ".bias", "bias", new int[]{layer.channels()}, true, Slot.Init.FAN_IN_UNIFORM,
                    fanIn));
            block.add(activation());
            Shape window = new Shape(layer.poolSize(), layer.poolSize());
            Shape stride = new Shape(layer.poolStride(), layer.poolStride());
            switch (layer.pool()) {
                case NONE -> {
                }
                case MAX -> block.add(Pool.maxPool2dBlock(window, stride));
                case AVG -> block.add(Pool.avgPool2dBlock(window, stride));
            }
            c = layer.channels();
            h = h2;
            w = w2;
        }
        block.add(Blocks.batchFlattenBlock());
        int features = c * h * w;
        for (int j = 0; j < spec.dense().size(); j++) {
            int width = spec.dense().get(j);
            dense("fc" + (j + 1), width, features);
            block.add(activation());
            features = width;
        }
        dense("fc" + (spec.dense().size() + 1), classes, features);
    }

    private void resnet(ResNetSpec spec, ImageShape input, int classes) {
        int c = input.channels();
        int width = spec.width();
        block.add(conv3x3(slots, "conv1", c, width, 1));
        block.add(batchNorm(slots, "bn1", width));
        block.add(activation());
        c = width;
        for (int s = 0; s < spec.blocks().size(); s++) {
            int out = width << s;
            for (int b = 0; b < spec.blocks().get(s); b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                String prefix = "layer" + (s + 1) + "." + b;
                SequentialBlock main = new SequentialBlock()
                        .add(conv3x3(slots, prefix + ".conv1", c, out, stride))
                        .add(batchNorm(slots, prefix + ".bn1", out))
                        .add(activation())
                        .add(conv3x3(slots, prefix + ".conv2", out, out, 1))
                        .add(batchNorm(slots, prefix + ".bn2", out));
                Block shortcut;
                if (stride != 1 || c != out) {
                    shortcut = new SequentialBlock()
                            .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).optStride(new Shape(stride, stride))
                                    .setFilters(out).optBias(false).build())
                            .add(batchNorm(null, prefix + ".downsample.1", out));
                    // the shortcut's tensors follow the main path's, as ParallelBlock lists its children in order
                    slots.add(new Slot(prefix + ".downsample.0.weight", "weight", new int[]{out, c, 1, 1}, true,
                            Slot.Init.FAN_IN_UNIFORM, c));
                    batchNormSlots(slots, prefix + ".downsample.1", out);
                } else {
                    shortcut = Blocks.identityBlock();
                }
                block.add(new ParallelBlock(
                        list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        List.of(main, shortcut)));
                block.add(activation());
                c = out;
            }
        }
        block.add(Pool.globalAvgPool2dBlock());
        block.add(Blocks.batchFlattenBlock());
        dense("fc", classes, c);
    }

    private void dense(String name, int units, int inputs) {
        block.add(Linear.builder().setUnits(units).build());
        slots.add(new Slot(name + ".weight", "weight", new int[]{units, inputs}, true, Slot.Init.FAN_IN_UNIFORM,
                inputs));
        slots.add(new Slot(name + ".bias", "bias", new int[]{units}, true, Slot.Init.FAN_IN_UNIFORM, inputs));
    }

    private static Block conv3x3(List<Slot> slots, String name, int in, int out, int stride) {
        slots.add(new Slot(name + ".weight", "weight", new int[]{out, in, 3, 3}, true, Slot.Init.FAN_IN_UNIFORM,
                in * 9));
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).setFilters(out).optBias(false).build();
    }

    /** A batch norm over channels; its four tensors are added to {@code slots} unless that is null. */
    private static Block batchNorm(List<Slot> slots, String name, int channels) {
        if (slots != null) {
            batchNormSlots(slots, name, channels);
        }
        return BatchNorm.builder().build();
    }

    private static void batchNormSlots(List<Slot> slots, String name, int channels) {
        int[] shape = {channels};
        slots.add(new Slot(name + ".weight", "gamma", shape, true, Slot.Init.ONES, 0));
        slots.add(new Slot(name + ".bias", "beta", shape, true, Slot.Init.ZEROS, 0));
        slots.add(new Slot(name + ".running_mean", "runningMean", shape, false, Slot.Init.ZEROS, 0));
        slots.add(new Slot(name + ".running_var", "runningVar", shape, false, Slot.Init.ONES, 0));
    }

    private Block activation() {
        return switch (activation) {
            case RELU -> ai.djl.nn.Activation.reluBlock();
            case TANH -> ai.djl.nn.Activation.tanhBlock();
        };
    }
}
