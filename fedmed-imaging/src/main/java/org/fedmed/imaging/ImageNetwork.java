package org.fedmed.imaging;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * One {@link ImageModel} as a live DJL block on the PyTorch CPU engine: the two-way mapping between the block's
 * parameters and our flat vector in the model's {@link ParameterLayout} ({@link #write}, {@link #read}), bit for bit,
 * the mini-batch gradient of softmax cross-entropy, and class probabilities. Each tensor of the layout is the DJL
 * parameter at the same position of {@code block.getParameters()}; opening the network checks that names and shapes
 * agree, so a mapping that drifted fails at once instead of training the wrong weights.
 *
 * <p>Unless the JVM sets them, loading this class sets {@code ai.djl.offline=true} (DJL never downloads) and one
 * PyTorch intra-op and inter-op thread ({@code ai.djl.pytorch.num_threads}, {@code num_interop_threads}).
 *
 * <p>Not thread-safe: confine a network to one platform thread (PyTorch keeps its gradient mode per OS thread). DJL's
 * PyTorch engine allows one gradient recording per JVM at a time, so {@link #lossAndGradient} steps of all networks
 * in one JVM take turns on a JVM-wide lock; evaluation does not. Close the network to free its native memory.
 */
public final class ImageNetwork implements AutoCloseable {

    /** The engine DJL trains with; the only one this module ships. */
    public static final String ENGINE = "PyTorch";

    private static final ReentrantLock GRADIENT_RECORDING = new ReentrantLock();

    static {
        // The native library comes from Maven (pytorch-native-cpu), so DJL must never try to download one: offline
        // unless the JVM says otherwise. One intra-op thread is the fastest on small machines (docs/imaging.md).
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("ai.djl.pytorch.num_threads", "1");
        defaultProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    private static final int EVAL_BATCH = 256;

    private final ImageModel model;
    private final NDManager manager;
    private final Block block;
    private final ParameterStore store;
    private final List<Parameter> parameters;
    private final int[] offsets;
    private final int[] sizes;
    private final boolean[] trained;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private float[] batch = new float[0];
    private float[] labels = new float[0];

    ImageNetwork(ImageModel model, Block block) {
        this.model = model;
        this.block = block;
        NDManager m;
        try {
            m = Engine.getEngine(ENGINE).newBaseManager(Device.cpu());
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot start DJL's " + ENGINE + " engine: " + e.getMessage()
                    + "; it needs ai.djl.pytorch:pytorch-native-cpu 2.7.1 (linux-x86_64) and pytorch-jni 2.7.1-0.35.1"
                    + " on the class path, -Dai.djl.offline=true, PYTORCH_FLAVOR=cpu, and a writable DJL_CACHE_DIR"
                    + " (see docs/imaging.md)", e);
        }
        this.manager = m;
        try {
            ImageShape in = model.input();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
            this.store = new ParameterStore(manager, false);
            this.parameters = new ArrayList<>(block.getParameters().values());
            List<Slot> slots = model.slots();
            if (parameters.size() != slots.size()) {
                throw new IllegalStateException("the DJL block of " + model + " has " + parameters.size()
                        + " parameters but the layout lists " + slots.size() + " tensors");
            }
            ParameterLayout layout = model.layout();
            offsets = new int[slots.size()];
            sizes = new int[slots.size()];
            trained = new boolean[slots.size()];
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                Parameter p = parameters.get(i);
                long[] djlShape = p.getArray().getShape().getShape();
                if (!p.getName().equals(s.djlName()) || !Arrays.equals(djlShape, Arrays.stream(s.shape())
                        .asLongStream().toArray()) || p.requiresGradient() != s.trainable()) {
                    throw new IllegalStateException("DJL parameter " + i + " is '" + p.getName() + "' "
                            + Arrays.toString(djlShape) + (p.requiresGradient() ? " (trained)" : " (not trained)")
                            + " but the layout's tensor " + i + " is " + s + " as DJL '" + s.djlName() + "'"
                            + (s.trainable() ? " (trained)" : " (not trained)"));
                }
                offsets[i] = layout.entries().get(i).offset();
                sizes[i] = layout.entries().get(i).size();
                trained[i] = s.trainable();
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    public ImageModel model() {
        return model;
    }

    /** Sets every tensor of the block to {@code params}, which must have the model's layout. Exact: no rounding. */
    public void load(ModelParameters params) {
        if (!params.layout().equals(model.layout())) {
            throw new IllegalArgumentException("parameters " + params.layout().entries() + " are not the layout of "
                    + model + ": " + model.layout().entries());
        }
        write(params.flat());
    }

    /** Sets every tensor of the block from a flat vector in the model's layout. Exact: no rounding. */
    public void write(float[] flat) {
        write(flat, false);
    }

    /** Sets only the tensors training updates by gradient, leaving batch-norm running statistics as they are. */
    void writeTrainable(float[] flat) {
        write(flat, true);
    }

    private void write(float[] flat, boolean trainableOnly) {
        checkLength(flat);
        for (int i = 0; i < parameters.size(); i++) {
            if (trainableOnly && !trained[i]) {
                continue;
            }
            parameters.get(i).getArray().set(Arrays.copyOfRange(flat, offsets[i], offsets[i] + sizes[i]));
        }
    }

    /** The block's tensors as our named parameters, bit for bit. */
    public ModelParameters parameters() {
        float[] flat = new float[model.parameterCount()];
        read(flat, false);
        return ModelParameters.ofFlat(model.layout(), flat);
    }

    /** Copies the block's tensors into {@code flat} (all of them, or only those not trained by gradient). */
    void read(float[] flat, boolean untrainedOnly) {
        checkLength(flat);
        for (int i = 0; i < parameters.size(); i++) {
            if (untrainedOnly && trained[i]) {
                continue;
            }
            float[] v = parameters.get(i).getArray().toFloatArray();
            System.arraycopy(v, 0, flat, offsets[i], sizes[i]);
        }
    }

    /**
     * One training-mode forward and backward pass over images {@code rows[from .. from + count)} of {@code data}:
     * overwrites {@code grad} with the gradient of the mean softmax cross-entropy over those images (0 for tensors
     * not trained by gradient) and returns that mean. Batch norm normalizes with the batch's statistics and updates
     * its running statistics in the block, as PyTorch's training mode does.
     */
    public double lossAndGradient(ImageData data, int[] rows, int from, int count, float[] grad) {
        checkLength(grad);
        checkData(data);
        if (count < 1) {
            throw new IllegalArgumentException("a gradient needs at least one image, got " + count);
        }
        fill(data, rows, from, count);
        double mean;
        GRADIENT_RECORDING.lock();
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(batch.length == count * data.shape().size() ? batch
                    : Arrays.copyOf(batch, count * data.shape().size()), shape(count));
            NDArray y = step.create(labels.length == count ? labels : Arrays.copyOf(labels, count));
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDList out = block.forward(store, new NDList(x), true);
                NDArray l = loss.evaluate(new NDList(y), out);
                mean = l.getFloat();
                collector.backward(l);
            }
            for (int i = 0; i < parameters.size(); i++) {
                if (!trained[i]) {
                    Arrays.fill(grad, offsets[i], offsets[i] + sizes[i], 0f);
                    continue;
                }
                try (NDArray g = parameters.get(i).getArray().getGradient()) {
                    float[] v = g.toFloatArray();
                    System.arraycopy(v, 0, grad, offsets[i], sizes[i]);
                    // PyTorch accumulates gradients. Zero in place, as DJL's own zeroGradients does: set(float[])
                    // would point the gradient's storage at a Java buffer owned by this short-lived handle, which
                    // the garbage collector then frees under PyTorch (a crash some steps later)
                    g.subi(g);
                }
            }
        } finally {
            GRADIENT_RECORDING.unlock();
        }
        return mean;
    }

    /**
     * Class probabilities (softmax of the logits) of every image, in evaluation mode (batch norm uses its running
     * statistics): {@code count * classes} values, row-major.
     */
    public float[] probabilities(ImageData data) {
        checkData(data);
        int classes = model.classes();
        float[] out = new float[data.count() * classes];
        int[] all = new int[data.count()];
        Arrays.setAll(all, i -> i);
        for (int from = 0; from < data.count(); from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, data.count() - from);
            fill(data, all, from, count);
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(Arrays.copyOf(batch, count * data.shape().size()), shape(count));
                NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
                float[] p = logits.softmax(1).toFloatArray();
                System.arraycopy(p, 0, out, from * classes, count * classes);
            }
        }
        return out;
    }

    /** The logits of every image, in evaluation mode: {@code count * classes} values, row-major. */
    public float[] logits(ImageData data) {
        checkData(data);
        int classes = model.classes();
        float[] out = new float[data.count() * classes];
        int[] all = new int[data.count()];
        Arrays.setAll(all, i -> i);
        for (int from = 0; from < data.count(); from += EVAL_BATCH) {
            int count = Math.min(EVAL_BATCH, data.count() - from);
            fill(data, all, from, count);
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(Arrays.copyOf(batch, count * data.shape().size()), shape(count));
                float[] l = block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
                System.arraycopy(l, 0, out, from * classes, count * classes);
            }
        }
        return out;
    }

    private void fill(ImageData data, int[] rows, int from, int count) {
        int size = data.shape().size();
        if (batch.length < count * size) {
            batch = new float[count * size];
            labels = new float[count];
        }
        if (labels.length < count) {
            labels = new float[count];
        }
        for (int k = 0; k < count; k++) {
            int r = rows[from + k];
            System.arraycopy(data.pixels(), r * size, batch, k * size, size);
            labels[k] = data.labels()[r];
        }
    }

    private Shape shape(int count) {
        ImageShape in = model.input();
        return new Shape(count, in.channels(), in.height(), in.width());
    }

    private void checkData(ImageData data) {
        if (!data.shape().equals(model.input())) {
            throw new IllegalArgumentException("images are " + data.shape() + " but the model " + model
                    + " takes " + model.input());
        }
        if (data.classes() != model.classes()) {
            throw new IllegalArgumentException("images have " + data.classes() + " classes but the model " + model
                    + " has " + model.classes());
        }
    }

    private void checkLength(float[] flat) {
        if (flat.length != model.parameterCount()) {
            throw new IllegalArgumentException("a flat vector of " + flat.length + " values for a model of "
                    + model.parameterCount() + " parameters");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
