package org.fedmed.imaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedmed.ml.OptimizerSpec;

/**
 * A small ResNet of basic blocks (He et al. 2016, the CIFAR variant): a 3x3 stem convolution to {@code width}
 * channels with batch norm and the activation, then one stage per entry of {@code blocks}, stage s holding
 * {@code blocks[s]} basic blocks of {@code width * 2^s} channels (the first block of every stage after the first
 * halves the height and width with stride 2, and its shortcut is a 1x1 convolution with batch norm), then global
 * average pooling and a dense output layer. A basic block is conv 3x3, batch norm, activation, conv 3x3, batch norm,
 * plus the shortcut, then the activation. Convolutions have no bias (batch norm follows each).
 *
 * <pre>
 * type: resnet
 * width: 16          # channels of the stem and the first stage
 * blocks: [2, 2, 2]  # basic blocks per stage: [2, 2, 2] with width 16 is ResNet-14 for CIFAR
 * activation: relu
 * optimizer: {type: sgd, momentum: 0.9}
 * </pre>
 *
 * Batch-norm running statistics are part of the model's parameters, averaged like the weights (see
 * {@link ImageModel}).
 *
 * @param width      the stem's and first stage's channels, >= 1
 * @param blocks     basic blocks per stage, at least one stage, each >= 1
 * @param activation the non-linearity
 * @param optimizer  the local optimizer
 */
public record ResNetSpec(int width, List<Integer> blocks, Activation activation, OptimizerSpec optimizer)
        implements ImageModelSpec {

    /** The spec-file type. */
    public static final String TYPE = "resnet";

    public ResNetSpec {
        if (width < 1) {
            throw new IllegalArgumentException("model spec: 'width' must be >= 1 for type resnet, got " + width);
        }
        if (blocks == null || blocks.isEmpty()) {
            throw new IllegalArgumentException("model spec: 'blocks' must list the basic blocks of at least one stage"
                    + " for type resnet, like [2, 2]");
        }
        if (blocks.size() > 8) {
            throw new IllegalArgumentException("model spec: 'blocks' lists " + blocks.size()
                    + " stages; at most 8 are supported (each doubles the channels)");
        }
        for (int i = 0; i < blocks.size(); i++) {
            Integer b = blocks.get(i);
            if (b == null || b < 1) {
                throw new IllegalArgumentException("model spec: 'blocks[" + i + "]' must be >= 1, got " + b);
            }
        }
        blocks = List.copyOf(blocks);
        if ((long) width << (blocks.size() - 1) > 4096) {
            throw new IllegalArgumentException("model spec: 'width' " + width + " over " + blocks.size()
                    + " stages reaches " + ((long) width << (blocks.size() - 1)) + " channels; at most 4096");
        }
        activation = activation == null ? Activation.RELU : activation;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
    }

    /** The same network with another local optimizer. */
    public ResNetSpec withOptimizer(OptimizerSpec newOptimizer) {
        return new ResNetSpec(width, blocks, activation, Objects.requireNonNull(newOptimizer, "optimizer"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("width", width);
        m.put("blocks", blocks);
        m.put("activation", activation.key());
        m.put("optimizer", optimizer.toMap());
        return m;
    }
}
