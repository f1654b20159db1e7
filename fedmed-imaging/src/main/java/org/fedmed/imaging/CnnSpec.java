package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedmed.ml.OptimizerSpec;

/**
 * A plain convolutional network: the {@link ConvLayer}s in order (each convolution, activation, optional pooling),
 * then the feature map flattened channel-major, then dense layers of the given widths each followed by the
 * activation, then a dense output layer with one logit per class. Trained with softmax cross-entropy.
 *
 * <pre>
 * type: cnn
 * conv:
 *   - {channels: 6, kernel: 5, pool: max, pool_size: 2}
 *   - {channels: 16, kernel: 5, pool: max, pool_size: 2}
 * dense: [120, 84]
 * activation: relu                      # relu (default) | tanh
 * optimizer: {type: sgd, momentum: 0.9} # as in the tabular model spec; default plain SGD
 * </pre>
 *
 * That is NIID-Bench's "simple-cnn" ({@link #simpleCnn()}): on 1x28x28 images (its {@code SimpleCNNMNIST}) 44,426
 * parameters, on 3x32x32 (its {@code SimpleCNN}) 62,006. Tensor names follow PyTorch's {@code state_dict} of that
 * model: {@code conv1.weight}, {@code conv1.bias}, ..., {@code fc1.weight}, ..., the output layer last.
 *
 * @param conv       the convolutions, at least one
 * @param dense      the hidden dense widths, possibly none
 * @param activation the hidden non-linearity
 * @param optimizer  the local optimizer
 */
public record CnnSpec(List<ConvLayer> conv, List<Integer> dense, Activation activation, OptimizerSpec optimizer)
        implements ImageModelSpec {

    /** The spec-file type. */
    public static final String TYPE = "cnn";

    public CnnSpec {
        if (conv == null || conv.isEmpty()) {
            throw new IllegalArgumentException("model spec: 'conv' must list at least one convolution for type cnn");
        }
        for (int i = 0; i < conv.size(); i++) {
            if (conv.get(i) == null) {
                throw new IllegalArgumentException("model spec: 'conv[" + i + "]' is empty");
            }
        }
        conv = List.copyOf(conv);
        dense = dense == null ? List.of() : dense;
        for (int i = 0; i < dense.size(); i++) {
            Integer width = dense.get(i);
            if (width == null || width < 1) {
                throw new IllegalArgumentException("model spec: 'dense[" + i + "]' must be a width >= 1, got " + width);
            }
        }
        dense = List.copyOf(dense);
        activation = activation == null ? Activation.RELU : activation;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
    }

    /**
     * NIID-Bench's "simple-cnn": conv 6@5x5, ReLU, max-pool 2x2; conv 16@5x5, ReLU, max-pool 2x2; dense 120, ReLU;
     * dense 84, ReLU; dense to the classes; plain SGD.
     */
    public static CnnSpec simpleCnn() {
        return new CnnSpec(List.of(ConvLayer.of(6, 5).maxPool(2), ConvLayer.of(16, 5).maxPool(2)), List.of(120, 84),
                Activation.RELU, OptimizerSpec.sgd());
    }

    /** The same network with another local optimizer. */
    public CnnSpec withOptimizer(OptimizerSpec newOptimizer) {
        return new CnnSpec(conv, dense, activation, Objects.requireNonNull(newOptimizer, "optimizer"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ConvLayer c : conv) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("channels", c.channels());
            l.put("kernel", c.kernel());
            l.put("stride", c.stride());
            l.put("padding", c.padding());
            l.put("pool", c.pool().key());
            if (c.pool() != PoolType.NONE) {
                l.put("pool_size", c.poolSize());
                l.put("pool_stride", c.poolStride());
            }
            layers.add(l);
        }
        m.put("conv", layers);
        m.put("dense", dense);
        m.put("activation", activation.key());
        m.put("optimizer", optimizer.toMap());
        return m;
    }
}
