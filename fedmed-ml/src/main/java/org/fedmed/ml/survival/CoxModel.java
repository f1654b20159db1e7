package org.fedmed.ml.survival;

import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * A Cox proportional-hazards model for a fixed number of features: the hazard of a row with features x is
 * {@code h_0(t) exp(beta^T x)}, and the model's one tensor is {@value #WEIGHT} of shape {@code [1, d]} (the shape of
 * a one-output linear layer without bias, which is how FLamby's {@code Baseline} stores its weights; FLamby's bias
 * gets a zero gradient from every partial likelihood, so it is left out). Like {@link org.fedmed.ml.Model}, it holds
 * no parameters: every method works on a caller's flat {@code float[]} laid out as {@link #layout()} says, so Cox
 * coefficients are aggregated, clipped and sent as any other parameters are. It is immutable and thread-safe; the
 * scratch space of a training loop lives in a {@link Workspace}, one per thread. Computation is in double, rounded
 * once to float where a gradient is stored, and deterministic: the same inputs give bit-identical outputs.
 *
 * <p>The loss over a set of rows is the spec's {@link CoxLoss} divided by the number of rows, plus
 * {@code 0.5 * l2 * ||beta||^2} in the training objective; the risk sets are formed only from the rows given, never
 * from another site's.
 */
public final class CoxModel {

    /** The name of the coefficient tensor, shape {@code [1, d]}. */
    public static final String WEIGHT = "cox.weight";

    private final CoxSpec spec;
    private final int inputDim;
    private final ParameterLayout layout;

    /**
     * @throws IllegalArgumentException if {@code inputDim < 1}
     */
    public CoxModel(CoxSpec spec, int inputDim) {
        if (spec == null) {
            throw new IllegalArgumentException("a Cox model needs a spec");
        }
        if (inputDim < 1) {
            throw new IllegalArgumentException("a Cox model needs at least one feature, got " + inputDim);
        }
        this.spec = spec;
        this.inputDim = inputDim;
        this.layout = ParameterLayout.of(List.of(WEIGHT), List.of(new int[] {1, inputDim}));
    }

    public CoxSpec spec() {
        return spec;
    }

    /** Number of features per row, the length of beta. */
    public int inputDim() {
        return inputDim;
    }

    /** One tensor, {@value #WEIGHT} {@code [1, d]}. */
    public ParameterLayout layout() {
        return layout;
    }

    public int parameterCount() {
        return inputDim;
    }

    /**
     * beta = 0: every row has the same risk, so the C-index of the initial model is exactly 0.5 and its partial
     * likelihood is that of no covariate effect. Deterministic, so no seed is needed.
     */
    public ModelParameters init() {
        return ModelParameters.ofFlat(layout, new float[inputDim]);
    }

    /** {@code params} as this model's parameters (the array is taken, not copied). */
    public ModelParameters wrap(float[] params) {
        checkParams(params);
        return ModelParameters.ofFlat(layout, params);
    }

    /** The linear predictor {@code beta^T x} (the log relative risk) of every row; higher means shorter survival. */
    public double[] risk(float[] params, SurvivalData data) {
        checkParams(params);
        checkData(data);
        double[] eta = new double[data.rows()];
        for (int r = 0; r < data.rows(); r++) {
            eta[r] = dot(params, data.features(), r * inputDim);
        }
        return eta;
    }

    /** The spec's loss over all rows, in row order, as one batch (without the L2 term). */
    public double loss(float[] params, SurvivalData data) {
        int[] rows = new int[data.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return lossAndGradient(params, data, rows, 0, rows.length, new float[inputDim], newWorkspace(rows.length));
    }

    /** The L2 term of the training objective: {@code 0.5 * l2 * ||beta||^2}. */
    public double regularization(float[] params) {
        double s = 0;
        for (float v : params) {
            s += (double) v * v;
        }
        return 0.5 * spec.l2() * s;
    }

    /**
     * The spec's loss over rows {@code rows[from .. from + count)} of {@code data} taken as one batch, in that order
     * (the order matters only to {@link CoxLoss#FLAMBY_BATCH} with tied times). Overwrites {@code grad} with the
     * gradient of (loss + L2 term) and returns the loss without the L2 term. An empty batch gives loss 0 and only the
     * L2 gradient. Allocates nothing.
     *
     * @throws IllegalStateException if the risk scores within the batch spread over more than the range of double
     *                               (the model has diverged)
     */
    public double lossAndGradient(float[] params, SurvivalData data, int[] rows, int from, int count, float[] grad,
                                  Workspace workspace) {
        checkParams(params);
        if (grad.length != inputDim) {
            throw new IllegalArgumentException("the gradient has " + grad.length + " values but the model has "
                    + inputDim);
        }
        if (count > workspace.maxBatch()) {
            throw new IllegalArgumentException("a batch of " + count + " rows does not fit a workspace for "
                    + workspace.maxBatch());
        }
        double[] eta = workspace.eta;
        double[] time = workspace.time;
        boolean[] event = workspace.event;
        float[] x = data.features();
        for (int b = 0; b < count; b++) {
            int r = rows[from + b];
            eta[b] = dot(params, x, r * inputDim);
            time[b] = data.times()[r];
            event[b] = data.events()[r];
        }
        double loss = RiskSets.lossAndGradient(spec.loss(), eta, time, event, count, workspace.dEta,
                workspace.order, workspace.scratch, workspace.weight);
        double[] g = workspace.beta;
        java.util.Arrays.fill(g, 0);
        for (int b = 0; b < count; b++) {
            double d = workspace.dEta[b];
            if (d != 0) {
                int off = rows[from + b] * inputDim;
                for (int c = 0; c < inputDim; c++) {
                    g[c] += d * x[off + c];
                }
            }
        }
        double scale = count == 0 ? 0 : 1.0 / count;
        double l2 = spec.l2();
        for (int c = 0; c < inputDim; c++) {
            grad[c] = (float) (g[c] * scale + l2 * params[c]);
        }
        return loss * scale;
    }

    /**
     * The negative log partial likelihood with Breslow ties of linear predictors {@code eta} over rows with
     * {@code times} and {@code events}: {@code sum over events i of (log sum_{j: T_j >= T_i} exp(eta_j) - eta_i)},
     * not divided by anything. This is what lifelines' {@code CoxPHFitter} and R's {@code coxph(ties = "breslow")}
     * minimize (up to their own normalization), and {@code n} times {@link CoxLoss#BRESLOW} over the same n rows.
     */
    public static double negLogPartialLikelihood(double[] eta, double[] times, boolean[] events) {
        int n = eta.length;
        if (times.length != n || events.length != n) {
            throw new IllegalArgumentException(n + " risk scores, " + times.length + " times and " + events.length
                    + " event flags");
        }
        return RiskSets.lossAndGradient(CoxLoss.BRESLOW, eta.clone(), times.clone(), events.clone(), n,
                new double[n], new int[n], new int[n], new double[n]);
    }

    /**
     * Checks that {@code data} fits this model: its column count.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    public void checkData(SurvivalData data) {
        if (data.cols() != inputDim) {
            throw new IllegalArgumentException("the Cox model has " + inputDim + " features but the data has "
                    + data.cols() + " columns " + data.featureNames());
        }
    }

    /** Scratch buffers for batches of up to {@code maxBatch} rows. */
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(maxBatch, inputDim);
    }

    private void checkParams(float[] params) {
        if (params.length != inputDim) {
            throw new IllegalArgumentException("params have " + params.length + " values but the Cox model has "
                    + inputDim + " (" + WEIGHT + " [1, " + inputDim + "])");
        }
    }

    private double dot(float[] beta, float[] x, int offset) {
        double s = 0;
        for (int c = 0; c < inputDim; c++) {
            s += (double) beta[c] * x[offset + c];
        }
        return s;
    }

    /** Mutable per-thread scratch space for {@link #lossAndGradient}; obtained from {@link #newWorkspace}. */
    public static final class Workspace {
        private final int maxBatch;
        private final double[] eta;
        private final double[] time;
        private final boolean[] event;
        private final double[] dEta;
        private final double[] weight;
        private final int[] order;
        private final int[] scratch;
        private final double[] beta;

        private Workspace(int maxBatch, int inputDim) {
            if (maxBatch < 0) {
                throw new IllegalArgumentException("a workspace needs a batch size >= 0, got " + maxBatch);
            }
            this.maxBatch = maxBatch;
            eta = new double[maxBatch];
            time = new double[maxBatch];
            event = new boolean[maxBatch];
            dEta = new double[maxBatch];
            weight = new double[maxBatch];
            order = new int[maxBatch];
            scratch = new int[maxBatch];
            beta = new double[inputDim];
        }

        /** The largest batch this workspace holds. */
        public int maxBatch() {
            return maxBatch;
        }
    }
}
