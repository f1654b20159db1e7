package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * An image model built from an {@link ImageModelSpec} for one input shape and class count: its
 * {@link ParameterLayout} (our named tensors, in PyTorch {@code state_dict} spelling and order, the order DJL's block
 * lists its parameters in), which of them training updates by gradient, seeded initial parameters, and
 * {@link #open()}, which gives a DJL network to train and evaluate. The model itself holds no parameters and no
 * native resources; it is immutable and thread-safe.
 *
 * <p><b>Batch norm.</b> A ResNet's batch-norm layers have four tensors each: {@code weight} (gamma) and {@code bias}
 * (beta) are trained by gradient; {@code running_mean} and {@code running_var} are not, but are part of the
 * parameters all the same, so they travel with the update and FedAvg averages them with the weights (weighted by the
 * sites' example counts, as NIID-Bench and Flower's PyTorch examples average a whole {@code state_dict}). A global
 * model is therefore complete: any site, or a checkpoint, evaluates it without local statistics. Keeping them local
 * instead (FedBN) would need a site-side personalization; it is not offered. Local terms (FedProx) and the
 * optimizer leave the running statistics to batch norm's own update, and DP-SGD refuses models with batch norm
 * (a batch of one has no batch statistics to speak of, and batch statistics mix examples).
 */
public final class ImageModel {

    private final ImageModelSpec spec;
    private final ImageShape input;
    private final int classes;
    private final List<Slot> slots;
    private final ParameterLayout layout;
    private final boolean[] trainable;

    private ImageModel(ImageModelSpec spec, ImageShape input, int classes) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.input = Objects.requireNonNull(input, "input");
        this.classes = classes;
        this.slots = Architecture.of(spec, input, classes).slots();
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Slot s : slots) {
            names.add(s.name());
            shapes.add(s.shape());
        }
        this.layout = ParameterLayout.of(names, shapes);
        this.trainable = new boolean[layout.totalSize()];
        for (int i = 0; i < slots.size(); i++) {
            ParameterLayout.Entry e = layout.entries().get(i);
            java.util.Arrays.fill(trainable, e.offset(), e.offset() + e.size(), slots.get(i).trainable());
        }
    }

    /**
     * The model {@code spec} describes for images of {@code input} and {@code classes} classes.
     *
     * @throws IllegalArgumentException if the layers do not fit the images (a feature map shrinks to nothing), naming
     *                                  the layer, or {@code classes < 2}
     */
    public static ImageModel build(ImageModelSpec spec, ImageShape input, int classes) {
        return new ImageModel(spec, input, classes);
    }

    public ImageModelSpec spec() {
        return spec;
    }

    public ImageShape input() {
        return input;
    }

    public int classes() {
        return classes;
    }

    /** The names, shapes and flat offsets of the tensors, e.g. {@code conv1.weight [6, 1, 5, 5]}. */
    public ParameterLayout layout() {
        return layout;
    }

    public int parameterCount() {
        return layout.totalSize();
    }

    /** Whether flat parameter {@code i} is trained by gradient (false for batch-norm running statistics). */
    public boolean isTrainable(int i) {
        return trainable[i];
    }

    /** Whether the model has batch-norm layers, whose running statistics are parameters too. */
    public boolean hasBatchNorm() {
        for (boolean t : trainable) {
            if (!t) {
                return true;
            }
        }
        return false;
    }

    List<Slot> slots() {
        return slots;
    }

    /**
     * Fresh parameters drawn from {@code seed}, in layout order, with PyTorch's default distributions: every
     * convolution and dense tensor (weights and biases) from U(-1/sqrt(fan_in), 1/sqrt(fan_in)); batch norm's scale
     * and running variance 1, its shift and running mean 0. The distributions are PyTorch's; the values are not, since
     * the generators differ. The same seed gives the same parameters.
     */
    public ModelParameters init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] flat = new float[layout.totalSize()];
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            ParameterLayout.Entry e = layout.entries().get(i);
            switch (s.init()) {
                case FAN_IN_UNIFORM -> {
                    double bound = 1 / Math.sqrt(s.fanIn());
                    for (int k = e.offset(); k < e.offset() + e.size(); k++) {
                        flat[k] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                    }
                }
                case ONES -> java.util.Arrays.fill(flat, e.offset(), e.offset() + e.size(), 1f);
                case ZEROS -> {
                }
            }
        }
        return ModelParameters.ofFlat(layout, flat);
    }

    /**
     * A DJL network of this model, with its native arrays, for one thread to train and evaluate; close it when done.
     *
     * @throws IllegalStateException if the PyTorch engine cannot start, saying which settings to check
     */
    public ImageNetwork open() {
        return new ImageNetwork(this, Architecture.of(spec, input, classes).block());
    }

    @Override
    public String toString() {
        return spec.type() + " for " + input + " images, " + classes + " classes, " + parameterCount() + " parameters";
    }
}
