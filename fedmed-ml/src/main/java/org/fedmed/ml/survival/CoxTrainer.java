package org.fedmed.ml.survival;

import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.BatchSampler;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.MiniBatches;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingResult;
import org.fedmed.ml.optim.Optimizer;
import org.fedmed.ml.optim.Optimizers;

/**
 * Local training of a {@link CoxModel} on a site's own rows, driven by the same {@link FitConfig} a fit task
 * carries: its local work (E epochs, or S steps that continue the site's {@link BatchCursor}), batch size B (B at
 * least the row count is full-batch gradient descent on the site's whole partial likelihood), learning rate, seed
 * and local terms (FedProx's proximal term; SCAFFOLD's correction when the site binds its control variate through
 * {@link #train(CoxModel, float[], SurvivalData, FitConfig, BatchCursor, LocalTerms)}). Each step takes a batch
 * from the shuffled passes {@link Trainer} uses ({@link BatchSampler#SHUFFLED}), so for the same rows, batch size
 * and seed the Cox trainer visits the same rows in the same order as the trainer of the dense models; forms the
 * batch's risk sets and loss ({@link CoxModel#lossAndGradient}); adds the local terms; and steps the optimizer of
 * the model's spec, fresh on every call. The result is deterministic, and training stops with an
 * {@link IllegalStateException} naming the step as soon as the loss or a coefficient is NaN or infinite.
 *
 * <p>Why a loop of its own rather than {@link Trainer}'s: that loop trains a {@link org.fedmed.ml.Model}, whose
 * data is {@link org.fedmed.core.LabeledData} with one float label per row and whose spec is a
 * {@link org.fedmed.ml.ModelSpec} of dense families; a Cox row carries a time and an event flag, and its loss is per
 * risk set, not a mean of per-row losses, so DP-SGD's per-example clipping (the other gradient seam) has no meaning
 * for it. The batch seam, the cursor, the optimizers and the local terms are reused as they are; only the gradient of
 * a step is the Cox model's. A fit that asks for a personalization (Ditto, FedPer) is refused: no Cox site keeps a
 * personal model.
 */
public final class CoxTrainer {

    private CoxTrainer() {
    }

    /** What a fit gave: the trained parameters in the model's layout, and what training did. */
    public record Fitted(ModelParameters parameters, TrainingResult training) {
    }

    /**
     * Trains from {@code global} (not changed) with the fit's work, batch size, learning rate, seed and local terms,
     * the terms bound to {@code global}.
     *
     * @throws IllegalArgumentException if {@code global} does not have the model's layout, or the fit does not suit
     *                                  the model or the data
     */
    public static Fitted fit(CoxModel model, ModelParameters global, SurvivalData data, FitConfig config,
                             BatchCursor cursor) {
        if (!global.layout().equals(model.layout())) {
            throw new IllegalArgumentException("the global model has layout " + global.layout().entries()
                    + " but the Cox model has " + model.layout().entries());
        }
        float[] params = global.copyFlat();
        TrainingResult r = train(model, params, data, config, cursor);
        return new Fitted(ModelParameters.ofFlat(model.layout(), params), r);
    }

    /** Trains {@code params} in place, the fit's local terms bound to {@code params} as they are on entry. */
    public static TrainingResult train(CoxModel model, float[] params, SurvivalData data, FitConfig config,
                                       BatchCursor cursor) {
        refusePersonalization(config);
        return train(model, params, data, config, cursor, LocalTerms.bind(config, params));
    }

    /**
     * Trains {@code params} in place with the fit's local terms already bound by the site. An epochs fit starts a
     * fresh order from the fit's seed and leaves {@code cursor} untouched; a {@code local_steps} fit continues it.
     * The reported loss is the row-weighted mean of the batch losses over the last epoch (or all the steps), without
     * the L2 term and the local terms.
     */
    public static TrainingResult train(CoxModel model, float[] params, SurvivalData data, FitConfig config,
                                       BatchCursor cursor, LocalTerms terms) {
        refusePersonalization(config);
        boolean epochs = config.work() instanceof LocalWork.Epochs;
        int count = config.work().count();
        model.checkData(data);
        if (params.length != model.parameterCount()) {
            throw new IllegalArgumentException("params have " + params.length + " values but the Cox model has "
                    + model.parameterCount());
        }
        if (data.rows() == 0) {
            throw new IllegalArgumentException("cannot train a Cox model on a site with no rows");
        }
        int bad = Trainer.firstNonFinite(params);
        if (bad >= 0) {
            throw new IllegalArgumentException("initial coefficient " + bad + " of " + CoxModel.WEIGHT + " is "
                    + params[bad]);
        }
        int rows = data.rows();
        int batch = Math.min(config.batchSize(), rows);
        int blocks = epochs ? count : 1;
        int stepsPerBlock = epochs ? (rows + batch - 1) / batch : count;
        double lr = config.learningRate();
        MiniBatches batches = BatchSampler.SHUFFLED.open(rows, batch, config.seed(),
                epochs ? new BatchCursor() : cursor);
        CoxModel.Workspace workspace = model.newWorkspace(batch);
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        double lastLoss = Double.NaN;
        long steps = 0;
        for (int block = 1; block <= blocks; block++) {
            double lossSum = 0;
            long examples = 0;
            for (int s = 1; s <= stepsPerBlock; s++) {
                int taken = batches.next();
                double loss = model.lossAndGradient(params, data, batches.rows(), batches.from(), taken, grad,
                        workspace);
                if (!Double.isFinite(loss)) {
                    throw diverged("the Cox loss is " + loss, epochs, block, blocks, s, stepsPerBlock, lr);
                }
                terms.addTo(params, grad);
                optimizer.step(params, grad, lr);
                steps++;
                bad = Trainer.firstNonFinite(params);
                if (bad >= 0) {
                    throw diverged("coefficient " + bad + " of " + CoxModel.WEIGHT + " is " + params[bad], epochs,
                            block, blocks, s, stepsPerBlock, lr);
                }
                lossSum += loss * taken;
                examples += taken;
            }
            lastLoss = examples == 0 ? Double.NaN : lossSum / examples;
        }
        return new TrainingResult(lastLoss, epochs ? count : 0, steps);
    }

    private static void refusePersonalization(FitConfig config) {
        for (LocalTerm t : config.terms()) {
            if (t instanceof LocalTerm.Ditto || t instanceof LocalTerm.PersonalLayers) {
                throw new IllegalArgumentException("the fit asks for '" + t.describe() + "', a personal model,"
                        + " which the Cox trainer does not keep; a Cox fit takes no local term or '"
                        + LocalTerm.Proximal.NAME + "' (or '" + LocalTerm.ControlVariates.NAME
                        + "' with the site's control variate)");
            }
        }
    }

    private static IllegalStateException diverged(String what, boolean epochs, int epoch, int epochCount, int step,
                                                  int steps, double lr) {
        String where = epochs ? "epoch " + epoch + "/" + epochCount + ", step " + step + "/" + steps
                : "local step " + step + "/" + steps;
        return new IllegalStateException("Cox training diverged: " + what + " at " + where + "; lower the learning"
                + " rate (was " + lr + ") or standardize the features");
    }
}
