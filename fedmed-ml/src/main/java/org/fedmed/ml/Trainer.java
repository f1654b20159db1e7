package org.fedmed.ml;

import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ParameterLayout;
import org.fedmed.ml.optim.Optimizer;
import org.fedmed.ml.optim.Optimizers;

/**
 * Local mini-batch training of a {@link Model} on a site's data. Each epoch visits every row once in an order
 * shuffled by a seeded generator; dropout masks come from a second generator split from the same seed, and the
 * optimizer named in the model's spec starts from fresh state on every call. The result is deterministic: the
 * same model, parameters, data, settings and seed give bit-identical parameters. Training stops with an
 * {@link IllegalStateException} as soon as the loss or a parameter becomes NaN or infinite.
 *
 * <p>A fit of {@code local_steps} runs exactly that many steps and takes its batches from a {@link BatchCursor} that
 * the site keeps between fits, so its data order carries over from round to round; dropout masks come from the
 * fit's own seed, as with epochs.
 *
 * <p>A fit's {@link org.fedmed.core.LocalTerm}s (FedProx's proximal term, SCAFFOLD's correction) are applied through {@link LocalTerms} at
 * every step, epochs or steps, against the parameters the fit started from; a fit without terms trains bit for bit as
 * before they existed.
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
        if (anchor.length != params.length) {
            throw new IllegalArgumentException("the local terms' anchor has " + anchor.length
                    + " values but the params have " + params.length);
        }
        return train(model, params, data, config, cursor, LocalTerms.bind(config, anchor));
    }

    /**
     * As {@link #train(Model, float[], LabeledData, FitConfig, BatchCursor)}, with the fit's local terms already
     * bound by the site ({@link LocalTerms#bind(FitConfig, float[], float[])} for a site that keeps a SCAFFOLD
     * control variate).
     */
    public static TrainingResult train(Model model, float[] params, LabeledData data, FitConfig config,
                                       BatchCursor cursor, LocalTerms terms) {
        return switch (config.work()) {
            case LocalWork.Epochs e -> trainEpochs(model, params, data, e.count(), config.batchSize(),
                    config.learningRate(), config.seed(), terms);
            case LocalWork.Steps s -> trainSteps(model, params, data, s.count(), config.batchSize(),
                    config.learningRate(), config.seed(), cursor, terms);
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
        return trainSteps(model, params, data, steps, batchSize, lr, seed, cursor, LocalTerms.NONE);
    }

    private static TrainingResult trainSteps(Model model, float[] params, LabeledData data, int steps, int batchSize,
                                             double lr, long seed, BatchCursor cursor, LocalTerms terms) {
        if (steps < 1) {
            throw new IllegalArgumentException("local steps must be >= 1, got " + steps);
        }
        checkArguments(model, params, data, steps, batchSize, lr);
        int rows = data.rows();
        int batch = Math.min(batchSize, rows);
        cursor.start(rows, seed);
        Model.Workspace workspace = model.newWorkspace(batch);
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        SplittableRandom dropout = new SplittableRandom(seed).split();
        double sum = 0;
        long examples = 0;
        for (int s = 1; s <= steps; s++) {
            int count = cursor.advance(batch);
            double loss = model.lossAndGradient(params, data, cursor.order(), cursor.batchStart(), count, grad,
                    workspace, dropout);
            if (!Double.isFinite(loss)) {
                throw divergedAtStep("the training loss is " + loss, s, steps, lr);
            }
            terms.addTo(params, grad);
            optimizer.step(params, grad, lr);
            int bad = firstNonFinite(params);
            if (bad >= 0) {
                throw divergedAtStep("parameter " + bad + " of tensor '" + tensorAt(model.layout(), bad) + "' is "
                        + params[bad], s, steps, lr);
            }
            sum += loss * count;
            examples += count;
        }
        return new TrainingResult(sum / examples, 0, steps);
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
        return trainEpochs(model, params, data, epochs, batchSize, lr, seed, LocalTerms.NONE);
    }

    private static TrainingResult trainEpochs(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                              double lr, long seed, LocalTerms terms) {
        checkArguments(model, params, data, epochs, batchSize, lr);
        int rows = data.rows();
        int batch = Math.min(batchSize, rows);
        int stepsPerEpoch = (rows + batch - 1) / batch;
        Model.Workspace workspace = model.newWorkspace(batch);
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(seed);
        SplittableRandom dropout = shuffle.split();
        double lastEpochLoss = Double.NaN;
        long steps = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, shuffle);
            double epochSum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                int from = s * batch;
                int count = Math.min(batch, rows - from);
                double loss = model.lossAndGradient(params, data, order, from, count, grad, workspace, dropout);
                if (!Double.isFinite(loss)) {
                    throw diverged("the training loss is " + loss, epoch, epochs, s + 1, stepsPerEpoch, lr);
                }
                terms.addTo(params, grad);
                optimizer.step(params, grad, lr);
                steps++;
                int bad = firstNonFinite(params);
                if (bad >= 0) {
                    throw diverged("parameter " + bad + " of tensor '" + tensorAt(model.layout(), bad) + "' is "
                            + params[bad], epoch, epochs, s + 1, stepsPerEpoch, lr);
                }
                epochSum += loss * count;
            }
            lastEpochLoss = epochSum / rows;
        }
        return new TrainingResult(lastEpochLoss, epochs, steps);
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

    private static IllegalStateException diverged(String what, int epoch, int epochs, int step, int stepsPerEpoch,
                                                  double lr) {
        return new IllegalStateException("training diverged: " + what + " at epoch " + epoch + "/" + epochs
                + ", step " + step + "/" + stepsPerEpoch + "; lower the learning rate (was " + lr
                + ") or check the features for extreme values");
    }

    private static IllegalStateException divergedAtStep(String what, int step, int steps, double lr) {
        return new IllegalStateException("training diverged: " + what + " at local step " + step + "/" + steps
                + "; lower the learning rate (was " + lr + ") or check the features for extreme values");
    }
}
