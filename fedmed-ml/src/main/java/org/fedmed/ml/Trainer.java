package org.fedmed.ml;

import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.optim.Optimizer;
import org.fedmed.ml.optim.Optimizers;

/**
 * Local mini-batch training of a {@link Model} on a site's data: the one training loop of every site, plain or
 * DP-SGD. Each step takes a batch from the fit's {@link BatchSampler batch seam}, asks the fit's
 * {@link GradientSource gradient seam} for the batch's gradient, adds the fit's {@link LocalTerms} and hands the result
 * to the optimizer named in the model's spec, which starts from fresh state on every call. Plain training
 * ({@link TrainingSeams#PLAIN}) is the model's mean gradient over shuffled passes: each epoch visits every row once
 * in an order shuffled by a seeded generator. Dropout masks come from a second generator split from the same seed.
 * The result is deterministic: the same model, parameters, data, settings, seams and seed give bit-identical
 * parameters. Training stops with an {@link IllegalStateException} as soon as the loss or a parameter becomes NaN
 * or infinite.
 *
 * <p>An epochs fit is E * ceil(n / B) steps (B capped at n), E passes of a fresh order for shuffled batches; a fit of
 * {@code local_steps} runs exactly that many steps and takes shuffled batches from a {@link BatchCursor} that the
 * site keeps between fits, so its data order carries over from round to round; dropout masks come from the fit's
 * own seed, as with epochs.
 *
 * <p>A fit's {@link org.fedmed.core.LocalTerm}s (FedProx's proximal term, SCAFFOLD's correction) are applied through
 * {@link LocalTerms} at every step, epochs or steps, after the gradient, against the parameters the fit started from
 * (or an explicit anchor); a fit without terms trains bit for bit as before they existed.
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * Trains with the local work, batch size, learning rate, seed and local terms of a fit task. A
     * {@code local_steps} fit here starts a fresh order from this fit's seed; a site that trains over several rounds
     * passes its own cursor to {@link #train(Model, float[], LabeledData, FitConfig, BatchCursor)} instead.
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config) {
        return train(model, params, data, config, new BatchCursor());
    }

    /**
     * Trains with the local work, batch size, learning rate, seed and local terms of a fit task, the terms against
     * {@code params} as they are on entry (the global model); a {@code local_steps} fit takes its batches from
     * {@code cursor} and leaves it where it stopped (an epochs fit does not touch it).
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor) {
        return train(model, params, data, config, cursor, params);
    }

    /**
     * As {@link #train(Model, float[], LabeledData, FitConfig, BatchCursor)}, with the fit's local terms bound to
     * {@code anchor} instead of the parameters training starts from: Ditto's personal model trains from its own
     * parameters with a proximal term toward the round's global model. {@code anchor} is copied and not changed.
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor, float[] anchor) {
        return train(model, params, data, config, cursor, anchor, TrainingSeams.PLAIN);
    }

    /**
     * As {@link #train(Model, float[], LabeledData, FitConfig, BatchCursor, float[])}, with the gradient and the
     * batches of each step from {@code seams}: a {@code local_steps} fit with shuffled batches continues
     * {@code cursor}, an epochs fit or Poisson batches leave it untouched.
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor, float[] anchor, TrainingSeams seams) {
        if (anchor.length != params.length) {
            throw new IllegalArgumentException("the local terms' anchor has " + anchor.length
                    + " values but the params have " + params.length);
        }
        return train(model, params, data, config, cursor, LocalTerms.bind(config, anchor), seams);
    }

    /**
     * As {@link #train(Model, float[], LabeledData, FitConfig, BatchCursor)}, with the fit's local terms already
     * bound by the site ({@link LocalTerms#bind(FitConfig, float[], float[])} for a site that keeps a SCAFFOLD
     * control variate).
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor, LocalTerms terms) {
        return train(model, params, data, config, cursor, terms, TrainingSeams.PLAIN);
    }

    /**
     * The one entry every other overload comes to: the fit's work, batch size, learning rate and seed, its local
     * terms already bound, and the gradient and batches of each step from {@code seams}.
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor, LocalTerms terms, TrainingSeams seams) {
        return switch (config.work()) {
            case LocalWork.Epochs e -> run(model, params, data, true, e.count(), config.batchSize(),
                    config.learningRate(), config.seed(), cursor, terms, seams);
            case LocalWork.Steps s -> run(model, params, data, false, s.count(), config.batchSize(),
                    config.learningRate(), config.seed(), cursor, terms, seams);
        };
    }

    /**
     * Runs exactly {@code steps} mini-batch steps, updating {@code params} in place, with batches taken from
     * {@code cursor} (seeded by this call if it is new). The result's loss is the mean per-example loss over this
     * call's steps and its epoch count is 0.
     *
     * @throws IllegalArgumentException if the arguments or the data do not fit the model
     * @throws IllegalStateException    if the loss or a parameter becomes NaN or infinite, naming the step, or if the
     *                                  cursor orders another number of rows
     */
    public static TrainingResult trainSteps(Model model, float[] params, LabeledData data, int steps, int batchSize,
                                            double lr, long seed, BatchCursor cursor) {
        return run(model, params, data, false, steps, batchSize, lr, seed, cursor, LocalTerms.NONE,
                TrainingSeams.PLAIN);
    }

    /**
     * Runs {@code epochs} epochs of mini-batch training, updating {@code params} in place. The last batch of an
     * epoch may be smaller than {@code batchSize}.
     *
     * @throws IllegalArgumentException if the arguments or the data do not fit the model
     * @throws IllegalStateException    if the loss or a parameter becomes NaN or infinite, naming epoch and step
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                       double lr, long seed) {
        return run(model, params, data, true, epochs, batchSize, lr, seed, null, LocalTerms.NONE,
                TrainingSeams.PLAIN);
    }

    /**
     * The one loop: {@code count} epochs of ceil(n / B) steps each, or one run of {@code count} steps. The reported
     * loss is the mean per-example loss over the last epoch's (or all the steps') batches, NaN if they held no row.
     */
    private static TrainingResult run(Model model, float[] params, LabeledData data, boolean epochs, int count,
                                      int batchSize, double lr, long seed, BatchCursor cursor, LocalTerms terms,
                                      TrainingSeams seams) {
        if (!epochs && count < 1) {
            throw new IllegalArgumentException("local steps must be >= 1, got " + count);
        }
        checkArguments(model, params, data, count, batchSize, lr);
        int rows = data.rows();
        int batch = Math.min(batchSize, rows);
        // an epochs fit is `count` blocks of one epoch's steps, a steps fit one block of `count` steps
        int blocks = epochs ? count : 1;
        int stepsPerBlock = epochs ? (rows + batch - 1) / batch : count;
        MiniBatches batches = seams.batches().open(rows, batch, seed, epochs ? new BatchCursor() : cursor);
        GradientSource gradient = seams.gradient();
        Model.Workspace workspace = model.newWorkspace(batch);
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        SplittableRandom dropout = new SplittableRandom(seed).split();
        double lastLoss = Double.NaN;
        long steps = 0;
        for (int block = 1; block <= blocks; block++) {
            double lossSum = 0;
            long examples = 0;
            for (int s = 1; s <= stepsPerBlock; s++) {
                int taken = batches.next();
                double loss = gradient.lossSum(model, params, data, batches, workspace, dropout, grad);
                if (!Double.isFinite(loss)) {
                    throw diverged("the training loss is " + loss / Math.max(taken, 1), epochs, block, blocks, s,
                            stepsPerBlock, lr, gradient);
                }
                terms.addTo(params, grad);
                optimizer.step(params, grad, lr);
                steps++;
                int bad = firstNonFinite(params);
                if (bad >= 0) {
                    throw diverged("parameter " + bad + " of tensor '" + tensorAt(model.layout(), bad) + "' is "
                            + params[bad], epochs, block, blocks, s, stepsPerBlock, lr, gradient);
                }
                lossSum += loss;
                examples += taken;
            }
            lastLoss = examples == 0 ? Double.NaN : lossSum / examples;
        }
        return new TrainingResult(lastLoss, epochs ? count : 0, steps);
    }

    /**
     * The checks every trainer makes before its first step: parameters fit the model, epochs (or steps), batch size
     * and learning rate are valid, the data has rows the model accepts, and the initial parameters are finite.
     */
    public static void checkArguments(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                      double lr) {
        if (params.length != model.parameterCount()) {
            throw new IllegalArgumentException("params have " + params.length + " values but the model has "
                    + model.parameterCount());
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
        if (data.rows() == 0) {
            throw new IllegalArgumentException("cannot train on a dataset with no rows");
        }
        if (data.layout() != model.objective().labelLayout()) {
            throw new IllegalArgumentException("the model trains for objective " + model.objective().key()
                    + ", whose labels are laid out as " + model.objective().labelLayout() + ", but the data's are "
                    + data.layout());
        }
        model.checkData(data);
        int bad = firstNonFinite(params);
        if (bad >= 0) {
            throw new IllegalArgumentException("initial parameter " + bad + " of tensor '"
                    + tensorAt(model.layout(), bad) + "' is " + params[bad]);
        }
    }

    /** Fisher-Yates shuffle driven by {@code rng}. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Index of the first NaN or infinite value in {@code v}, or -1 if there is none. */
    public static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String tensorAt(ParameterLayout layout, int index) {
        for (ParameterLayout.Entry e : layout.entries()) {
            if (index >= e.offset() && index < e.offset() + e.size()) {
                return e.name();
            }
        }
        return "?";
    }

    private static IllegalStateException diverged(String what, boolean epochs, int epoch, int epochCount, int step,
                                                  int steps, double lr, GradientSource gradient) {
        String where = epochs ? "epoch " + epoch + "/" + epochCount + ", step " + step + "/" + steps
                : "local step " + step + "/" + steps;
        return new IllegalStateException("training diverged: " + what + " at " + where + "; lower the learning rate"
                + " (was " + lr + ") or " + gradient.divergenceHint());
    }
}
