package org.fedmed.ml.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.InitScheme;
import org.fedmed.ml.Model;
import org.fedmed.core.objective.Objective;
import org.fedmed.ml.DenseSpec;
import org.fedmed.ml.loss.Loss;
import org.fedmed.ml.loss.Losses;

/**
 * A stack of dense layers, {@code dense0 .. denseN}, with ReLU and optional inverted dropout between them and a
 * loss-specific output head. With no hidden layers it is logistic, softmax or linear regression. Weights are
 * stored {@code [out, in]} row-major, biases {@code [out]}, in layer order in one flat vector.
 */
public final class DenseNetwork implements Model {

    private static final int PREDICT_CHUNK = 256;
    /** Layers with at least this many outputs run over [in, out] transposed weights, so inner loops span outputs. */
    private static final int TRANSPOSE_MIN_OUTPUTS = 8;
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private final DenseSpec spec;
    private final Objective objective;
    private final int classes;
    private final Loss loss;
    /** dims[0] is the input width, dims[layers] the number of outputs. */
    private final int[] dims;
    private final int layers;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final ParameterLayout layout;
    private final float l2;
    private final double dropout;
    private final float keepScale;

    /** The network {@code spec} describes for {@code inputDim} features, trained for {@code objective}. */
    public DenseNetwork(DenseSpec spec, int inputDim, Objective objective) {
        if (inputDim < 1) {
            throw new IllegalArgumentException("model input width must be >= 1, got " + inputDim);
        }
        this.spec = spec;
        this.objective = objective;
        this.classes = objective.classes();
        this.loss = Losses.create(spec.loss(), objective);
        List<Integer> hidden = spec.hidden();
        this.layers = hidden.size() + 1;
        this.dims = new int[layers + 1];
        dims[0] = inputDim;
        for (int i = 0; i < hidden.size(); i++) {
            dims[i + 1] = hidden.get(i);
        }
        dims[layers] = loss.outputs();
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            names.add("dense" + l + ".weight");
            shapes.add(new int[] {dims[l + 1], dims[l]});
            names.add("dense" + l + ".bias");
            shapes.add(new int[] {dims[l + 1]});
        }
        this.layout = ParameterLayout.of(names, shapes);
        this.weightOffset = new int[layers];
        this.biasOffset = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = layout.entries().get(2 * l).offset();
            biasOffset[l] = layout.entries().get(2 * l + 1).offset();
        }
        this.l2 = (float) spec.l2();
        this.dropout = spec.dropout();
        this.keepScale = (float) (1 / (1 - dropout));
    }

    @Override
    public DenseSpec spec() {
        return spec;
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public int inputDim() {
        return dims[0];
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public int predictionWidth() {
        return loss.predictionWidth();
    }

    @Override
    public ModelParameters init(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] flat = new float[layout.totalSize()];
        for (int l = 0; l < layers; l++) {
            int in = dims[l];
            int out = dims[l + 1];
            boolean outputLayer = l == layers - 1;
            InitScheme scheme = spec.init() != InitScheme.AUTO ? spec.init()
                    : outputLayer ? InitScheme.XAVIER : InitScheme.HE;
            double limit = switch (scheme) {
                case HE -> Math.sqrt(6.0 / in);
                case XAVIER, AUTO -> Math.sqrt(6.0 / (in + out));
                case TORCH_LINEAR -> 1 / Math.sqrt(in);
            };
            uniform(flat, weightOffset[l], in * out, limit, rng);
            if (scheme == InitScheme.TORCH_LINEAR) {
                uniform(flat, biasOffset[l], out, limit, rng);
            }
        }
        return ModelParameters.ofFlat(layout, flat);
    }

    /** Fills {@code count} values from {@code offset} with U(-limit, limit) draws. */
    private static void uniform(float[] flat, int offset, int count, double limit, SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            flat[offset + i] = (float) ((2 * rng.nextDouble() - 1) * limit);
        }
    }

    @Override
    public Workspace newWorkspace(int maxBatch) {
        return new DenseWorkspace(dims, maxBatch);
    }

    @Override
    public double lossAndGradient(float[] params, LabeledData data, int[] rows, int from, int count, float[] grad,
                                  Workspace workspace, SplittableRandom dropoutRng) {
        DenseWorkspace ws = workspace(workspace, count);
        checkLength("params", params);
        checkLength("grad", grad);
        checkBatch(data, rows, from, count);
        forward(params, data.features(), rows, from, count, ws, dropout > 0 ? dropoutRng : null);
        int k = dims[layers];
        float[] logits = ws.act[layers - 1];
        float[] outDelta = ws.delta[layers - 1];
        float[] labels = data.labels();
        float scale = 1f / count;
        double sum = 0;
        for (int b = 0; b < count; b++) {
            sum += loss.lossAndGradient(logits, b * k, labels[row(rows, from, b)], scale, outDelta);
        }
        Arrays.fill(grad, 0f);
        backward(params, data.features(), rows, from, count, ws, grad);
        if (l2 != 0) {
            addL2Gradient(params, grad);
        }
        return sum / count;
    }

    @Override
    public double regularization(float[] params) {
        checkLength("params", params);
        double sum = 0;
        for (int l = 0; l < layers; l++) {
            int w = weightOffset[l];
            int end = w + dims[l] * dims[l + 1];
            for (int i = w; i < end; i++) {
                sum += (double) params[i] * params[i];
            }
        }
        return 0.5 * spec.l2() * sum;
    }

    @Override
    public float[] predict(float[] params, LabeledData data) {
        checkLength("params", params);
        checkShape(data);
        int width = loss.predictionWidth();
        int k = dims[layers];
        float[] out = new float[data.rows() * width];
        if (data.rows() == 0) {
            return out;
        }
        DenseWorkspace ws = new DenseWorkspace(dims, Math.min(PREDICT_CHUNK, data.rows()));
        for (int from = 0; from < data.rows(); from += ws.maxBatch) {
            int count = Math.min(ws.maxBatch, data.rows() - from);
            forward(params, data.features(), null, from, count, ws, null);
            float[] logits = ws.act[layers - 1];
            for (int b = 0; b < count; b++) {
                loss.predict(logits, b * k, out, (from + b) * width);
            }
        }
        return out;
    }

    @Override
    public double loss(float[] params, LabeledData data) {
        checkLength("params", params);
        checkData(data);
        if (data.rows() == 0) {
            throw new IllegalArgumentException("cannot compute a loss on a dataset with no rows");
        }
        int k = dims[layers];
        float[] labels = data.labels();
        DenseWorkspace ws = new DenseWorkspace(dims, Math.min(PREDICT_CHUNK, data.rows()));
        double sum = 0;
        for (int from = 0; from < data.rows(); from += ws.maxBatch) {
            int count = Math.min(ws.maxBatch, data.rows() - from);
            forward(params, data.features(), null, from, count, ws, null);
            float[] logits = ws.act[layers - 1];
            for (int b = 0; b < count; b++) {
                sum += loss.loss(logits, b * k, labels[from + b]);
            }
        }
        return sum / data.rows();
    }

    @Override
    public void checkData(LabeledData data) {
        checkShape(data);
        DataChecks.requireFiniteFeatures(data);
        DataChecks.requireValidLabels(data);
    }

    static boolean transposed(int outputs) {
        return outputs >= TRANSPOSE_MIN_OUTPUTS;
    }

    private void forward(float[] params, float[] x, int[] rows, int from, int count, DenseWorkspace ws,
                         SplittableRandom dropoutRng) {
        for (int l = 0; l < layers; l++) {
            int in = dims[l];
            int out = dims[l + 1];
            int w = weightOffset[l];
            int bias = biasOffset[l];
            float[] src = l == 0 ? x : ws.act[l - 1];
            float[] dst = ws.act[l];
            if (transposed(out)) {
                float[] wt = ws.wt[l];
                VectorOps.transpose(params, w, out, in, wt);
                for (int b = 0; b < count; b++) {
                    int so = (l == 0 ? row(rows, from, b) : b) * in;
                    int d = b * out;
                    System.arraycopy(params, bias, dst, d, out);
                    for (int i = 0; i < in; i++) {
                        float xi = src[so + i];
                        if (xi != 0f) {
                            VectorOps.axpy(xi, wt, i * out, dst, d, out);
                        }
                    }
                }
            } else {
                for (int b = 0; b < count; b++) {
                    int so = (l == 0 ? row(rows, from, b) : b) * in;
                    int d = b * out;
                    for (int j = 0; j < out; j++) {
                        dst[d + j] = params[bias + j] + VectorOps.dot(params, w + j * in, src, so, in);
                    }
                }
            }
            if (l < layers - 1) {
                activate(dst, ws.gate[l], count * out, dropoutRng);
            }
        }
    }

    /**
     * ReLU then inverted dropout, in place; gate[i] receives d(output)/d(input): the dropout scale where the
     * input was positive, else 0. Branch-free apart from the dropout draw, so the JIT can vectorize it.
     */
    private void activate(float[] a, float[] gate, int n, SplittableRandom dropoutRng) {
        if (dropoutRng == null) {
            for (int i = 0; i < n; i++) {
                float v = a[i];
                a[i] = Math.max(v, 0f);
                gate[i] = Float.intBitsToFloat(ONE_BITS & positiveMask(v));
            }
            return;
        }
        double p = dropout;
        int keepBits = Float.floatToRawIntBits(keepScale);
        for (int i = 0; i < n; i++) {
            float v = a[i];
            float m = Float.intBitsToFloat(positiveMask(v) & (dropoutRng.nextDouble() < p ? 0 : keepBits));
            gate[i] = m;
            a[i] = Math.max(v, 0f) * m;
        }
    }

    /** All ones if {@code v > 0} (or a NaN with the sign bit clear), else zero. */
    private static int positiveMask(float v) {
        int bits = Float.floatToRawIntBits(v);
        return ~((bits | (bits - 1)) >> 31);
    }

    private void backward(float[] params, float[] x, int[] rows, int from, int count, DenseWorkspace ws, float[] grad) {
        for (int l = layers - 1; l >= 0; l--) {
            int in = dims[l];
            int out = dims[l + 1];
            int w = weightOffset[l];
            int bias = biasOffset[l];
            float[] delta = ws.delta[l];
            float[] src = l == 0 ? x : ws.act[l - 1];
            if (transposed(out)) {
                float[] gwt = ws.gwt[l];
                Arrays.fill(gwt, 0f);
                for (int b = 0; b < count; b++) {
                    int so = (l == 0 ? row(rows, from, b) : b) * in;
                    int d = b * out;
                    VectorOps.axpy(1f, delta, d, grad, bias, out);
                    for (int i = 0; i < in; i++) {
                        float xi = src[so + i];
                        if (xi != 0f) {
                            VectorOps.axpy(xi, delta, d, gwt, i * out, out);
                        }
                    }
                }
                VectorOps.transpose(gwt, 0, in, out, ws.wt[l]);
                VectorOps.axpy(1f, ws.wt[l], 0, grad, w, in * out);
            } else {
                for (int b = 0; b < count; b++) {
                    int so = (l == 0 ? row(rows, from, b) : b) * in;
                    int d = b * out;
                    for (int j = 0; j < out; j++) {
                        float g = delta[d + j];
                        if (g != 0f) {
                            grad[bias + j] += g;
                            VectorOps.axpy(g, src, so, grad, w + j * in, in);
                        }
                    }
                }
            }
            if (l > 0) {
                propagate(params, ws, l, count);
            }
        }
    }

    /** delta[l - 1] = (delta[l] W_l) times the ReLU and dropout gate of layer l - 1. */
    private void propagate(float[] params, DenseWorkspace ws, int l, int count) {
        int in = dims[l];
        int out = dims[l + 1];
        int w = weightOffset[l];
        float[] delta = ws.delta[l];
        float[] prev = ws.delta[l - 1];
        float[] gate = ws.gate[l - 1];
        for (int b = 0; b < count; b++) {
            int po = b * in;
            int d = b * out;
            Arrays.fill(prev, po, po + in, 0f);
            for (int j = 0; j < out; j++) {
                float g = delta[d + j];
                if (g != 0f) {
                    VectorOps.axpy(g, params, w + j * in, prev, po, in);
                }
            }
            for (int i = po; i < po + in; i++) {
                prev[i] *= gate[i];
            }
        }
    }

    private void addL2Gradient(float[] params, float[] grad) {
        float c = l2;
        for (int l = 0; l < layers; l++) {
            int w = weightOffset[l];
            int end = w + dims[l] * dims[l + 1];
            for (int i = w; i < end; i++) {
                grad[i] += c * params[i];
            }
        }
    }

    private static int row(int[] rows, int from, int b) {
        return rows == null ? from + b : rows[from + b];
    }

    private DenseWorkspace workspace(Workspace workspace, int count) {
        if (!(workspace instanceof DenseWorkspace ws) || !Arrays.equals(ws.dims, dims)) {
            throw new IllegalArgumentException("workspace was not created by this model's newWorkspace");
        }
        if (count < 1 || count > ws.maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " rows does not fit a workspace for "
                    + ws.maxBatch);
        }
        return ws;
    }

    private void checkLength(String what, float[] v) {
        if (v.length != layout.totalSize()) {
            throw new IllegalArgumentException(what + " has " + v.length + " values but the model has "
                    + layout.totalSize() + " parameters " + layout.entries());
        }
    }

    private void checkShape(LabeledData data) {
        if (data.cols() != dims[0]) {
            throw new IllegalArgumentException("data has " + data.cols() + " feature columns but the model was built for "
                    + dims[0]);
        }
        if (data.classes() != classes) {
            throw new IllegalArgumentException("data has classes = " + data.classes() + " but the model was built for "
                    + classes);
        }
    }

    private void checkBatch(LabeledData data, int[] rows, int from, int count) {
        checkShape(data);
        int available = rows == null ? data.rows() : rows.length;
        if (from < 0 || from + count > available) {
            throw new IllegalArgumentException("batch [" + from + ", " + (from + count) + ") is outside the "
                    + available + " available rows");
        }
    }
}
