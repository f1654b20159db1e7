package org.fedmed.ml.survival;

import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.core.objective.Objective;
import org.fedmed.ml.Model;

/**
 * A {@link CoxModel} as a {@link Model}, so that a plan's {@code model: {type: cox}} trains through the one
 * site-training pipeline ({@link org.fedmed.ml.Trainer}, {@link org.fedmed.ml.TrainingSiteClient}) in simulation and
 * deployment alike, with the same batches, cursor, optimizers and local terms as every other model. Its data is
 * {@link LabeledData} laid out as {@link LabelLayout#TIME_AND_EVENT} (per row the time, then 1 for an event or 0 for
 * censoring); a batch's loss is the spec's {@link CoxLoss} over the risk sets of that batch's rows only, exactly as
 * {@link CoxModel#lossAndGradient} computes it, so training here and through {@link CoxTrainer} give the same
 * coefficients bit for bit. A prediction is the row's linear predictor {@code beta^T x} (its log relative risk), which
 * the survival objective's metrics rank for the C-index. Dropout does not apply and is ignored. Immutable and
 * thread-safe; scratch space lives in the {@link Workspace}.
 */
public final class CoxNetwork implements Model {

    private final CoxModel cox;
    private final Objective objective;

    /**
     * @throws IllegalArgumentException if {@code objective} is not survival, or {@code inputDim < 1}
     */
    public CoxNetwork(CoxSpec spec, int inputDim, Objective objective) {
        if (!(objective instanceof Objective.Survival)) {
            throw new IllegalArgumentException("model spec: type 'cox' trains for the survival objective, not "
                    + (objective == null ? "none" : objective.key()));
        }
        this.cox = new CoxModel(spec, inputDim);
        this.objective = objective;
    }

    /** The Cox model behind this one. */
    public CoxModel cox() {
        return cox;
    }

    @Override
    public CoxSpec spec() {
        return cox.spec();
    }

    @Override
    public int inputDim() {
        return cox.inputDim();
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public int classes() {
        return 0;
    }

    @Override
    public ParameterLayout layout() {
        return cox.layout();
    }

    @Override
    public int predictionWidth() {
        return 1;
    }

    /** beta = 0, whatever the seed ({@link CoxModel#init()}). */
    @Override
    public ModelParameters init(long seed) {
        return cox.init();
    }

    @Override
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(cox.newWorkspace(maxBatch));
    }

    @Override
    public double lossAndGradient(float[] params, LabeledData data, int[] rows, int from, int count, float[] grad,
                                  Model.Workspace workspace, SplittableRandom dropout) {
        Workspace w = (Workspace) workspace;
        if (w.seen != data) {
            w.rows = survivalData(data);
            w.seen = data;
        }
        return cox.lossAndGradient(params, w.rows, rows, from, count, grad, w.cox);
    }

    @Override
    public double regularization(float[] params) {
        return cox.regularization(params);
    }

    /**
     * Each row's log relative risk {@code beta^T x}, from its features alone: rows to score need no label (as
     * {@code fedmed predict} gives them), so the labels' layout is not checked here.
     */
    @Override
    public float[] predict(float[] params, LabeledData data) {
        if (data.cols() != cox.inputDim()) {
            throw new IllegalArgumentException("the Cox model has " + cox.inputDim() + " features but the data has "
                    + data.cols() + " columns " + data.featureNames());
        }
        double[] risk = cox.risk(params, new SurvivalData(data.features(), new double[data.rows()],
                new boolean[data.rows()], data.rows(), data.cols(), data.featureNames()));
        float[] out = new float[risk.length];
        for (int i = 0; i < risk.length; i++) {
            out[i] = (float) risk[i];
        }
        return out;
    }

    /** The spec's loss over all rows in row order, as one batch, without the L2 term. */
    @Override
    public double loss(float[] params, LabeledData data) {
        return cox.loss(params, survivalData(data));
    }

    @Override
    public void checkData(LabeledData data) {
        survivalData(data);
    }

    /**
     * The rows of {@code data} as {@link SurvivalData}: the features as they are, each row's time and event flag.
     *
     * @throws IllegalArgumentException if the labels are not laid out as time and event, a flag is not 0 or 1, a time
     *                                  is negative, or the column count does not fit the model
     */
    public SurvivalData survivalData(LabeledData data) {
        if (data.layout() != LabelLayout.TIME_AND_EVENT) {
            throw new IllegalArgumentException("a Cox model trains on a survival label (a time and an event per row),"
                    + " but the data's labels are laid out as " + data.layout() + "; declare the label with kind"
                    + " survival, time and event in the dataset definition");
        }
        int n = data.rows();
        float[] labels = data.labels();
        double[] times = new double[n];
        boolean[] events = new boolean[n];
        for (int r = 0; r < n; r++) {
            times[r] = labels[2 * r];
            float e = labels[2 * r + 1];
            if (e != 0f && e != 1f) {
                throw new IllegalArgumentException("survival data: row " + r + " has event flag " + e
                        + ", expected 1 (event) or 0 (censored)");
            }
            events[r] = e == 1f;
        }
        SurvivalData rows = new SurvivalData(data.features(), times, events, n, data.cols(), data.featureNames());
        cox.checkData(rows);
        return rows;
    }

    /**
     * Scratch space for one thread: the Cox model's, and the survival view of the last data seen (a site trains
     * on the same rows step after step, so they are converted once per fit, not once per step).
     */
    static final class Workspace implements Model.Workspace {
        private final CoxModel.Workspace cox;
        private LabeledData seen;
        private SurvivalData rows;

        private Workspace(CoxModel.Workspace cox) {
            this.cox = cox;
        }

        @Override
        public int maxBatch() {
            return cox.maxBatch();
        }
    }
}
