package org.fedmed.privacy.dpsgd;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.Model;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.optim.Optimizer;
import org.fedmed.ml.optim.Optimizers;
import org.fedmed.privacy.NoiseSource;

/**
 * Local training with DP-SGD (Abadi et al. 2016), in place of the ordinary mini-batch trainer: every step clips
 * each example's gradient to C, sums, adds N(0, (z C)^2), divides by the batch size, and hands the result to the
 * optimizer named in the model's spec. An epoch is ceil(n / B) steps, with Poisson or shuffled batches
 * ({@link BatchSampling}); the result carries the q = B / n and step count an {@link
 * org.fedmed.privacy.accounting.RdpAccountant} needs. Batches and dropout are seeded by the seed; the noise comes
 * from the noise source's stream for that seed, so a seeded source makes training reproducible bit for bit. A
 * {@code local_steps} fit takes exactly S steps: Poisson batches drawn afresh each step, or shuffled batches from the
 * site's {@link BatchCursor}, which carries the order over from fit to fit.
 *
 * <p>A fit's {@link org.fedmed.core.LocalTerm}s (FedProx's proximal term) are added through {@link LocalTerms} to the
 * clipped, noised gradient at every step, before the optimizer's step. They depend on the parameters only, never on
 * an example, so they change neither the sensitivity nor the privacy account; a fit without terms trains bit for bit
 * as before they existed.
 */
public final class DpSgdTrainer {

    private DpSgdTrainer() {
    }

    /**
     * Trains with the local work, batch size, learning rate and seed of a fit task, noise seeded from that seed; a
     * {@code local_steps} fit with shuffled batches starts a fresh order here (a site passes its own cursor to
     * {@link #train(Model, float[], LabeledData, FitConfig, DpSgdConfig, NoiseSource, BatchCursor)}).
     */
    public static DpSgdResult train(Model model, float[] params, LabeledData data, FitConfig config, DpSgdConfig dp) {
        return train(model, params, data, config, dp, NoiseSource.seeded(config.seed()), new BatchCursor());
    }

    /** Trains with the local work of a fit task; shuffled {@code local_steps} batches come from {@code cursor}. */
    public static DpSgdResult train(Model model, float[] params, LabeledData data, FitConfig config, DpSgdConfig dp,
                                    NoiseSource noise, BatchCursor cursor) {
        LocalTerms terms = LocalTerms.bind(config, params);
        return switch (config.work()) {
            case LocalWork.Epochs e -> trainEpochs(model, params, data, e.count(), config.batchSize(),
                    config.learningRate(), config.seed(), dp, noise, terms);
            case LocalWork.Steps s -> trainSteps(model, params, data, s.count(), config.batchSize(),
                    config.learningRate(), config.seed(), dp, noise, cursor, terms);
        };
    }

    /**
     * Runs exactly {@code steps} DP-SGD steps, updating {@code params} in place: Poisson batches at q = B / n drawn
     * from this call's seed, or shuffled batches from {@code cursor}. The result's loss is over this call's steps.
     *
     * @throws IllegalArgumentException if the arguments or the data do not fit the model
     * @throws IllegalStateException    if the loss, a gradient or a parameter becomes NaN or infinite
     */
    public static DpSgdResult trainSteps(Model model, float[] params, LabeledData data, int steps, int batchSize,
                                         double lr, long seed, DpSgdConfig dp, NoiseSource noise, BatchCursor cursor) {
        return trainSteps(model, params, data, steps, batchSize, lr, seed, dp, noise, cursor, LocalTerms.NONE);
    }

    private static DpSgdResult trainSteps(Model model, float[] params, LabeledData data, int steps, int batchSize,
                                          double lr, long seed, DpSgdConfig dp, NoiseSource noise, BatchCursor cursor,
                                          LocalTerms terms) {
        if (steps < 1) {
            throw new IllegalArgumentException("local steps must be >= 1, got " + steps);
        }
        Trainer.checkArguments(model, params, data, steps, batchSize, lr);
        int n = data.rows();
        int batch = Math.min(batchSize, n);
        double q = (double) batch / n;
        PrivateGradient gradient = new PrivateGradient(model, dp.clipNorm(), dp.noiseMultiplier());
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        int[] poissonBatch = new int[n];
        SplittableRandom sampling = new SplittableRandom(seed);
        SplittableRandom dropout = sampling.split();
        RandomGenerator noiseStream = noise.stream(seed);
        boolean poisson = dp.sampling() == BatchSampling.POISSON;
        if (!poisson) {
            cursor.start(n, seed);
        }
        long examples = 0;
        long clipped = 0;
        double lossTotal = 0;
        for (int s = 1; s <= steps; s++) {
            int count;
            if (poisson) {
                count = poissonSample(poissonBatch, n, q, sampling);
                gradient.compute(params, data, poissonBatch, 0, count, batch, noiseStream, dropout, grad);
            } else {
                count = cursor.advance(batch);
                gradient.compute(params, data, cursor.order(), cursor.batchStart(), count, count, noiseStream, dropout,
                        grad);
            }
            double lossSum = gradient.lastLossSum();
            if (!Double.isFinite(lossSum)) {
                throw divergedAtStep("the training loss is " + lossSum, s, steps, lr);
            }
            terms.addTo(params, grad);
            optimizer.step(params, grad, lr);
            int bad = Trainer.firstNonFinite(params);
            if (bad >= 0) {
                throw divergedAtStep("parameter " + bad + " is " + params[bad], s, steps, lr);
            }
            lossTotal += lossSum;
            examples += count;
            clipped += gradient.lastClipped();
        }
        double clippedFraction = examples == 0 ? 0 : (double) clipped / examples;
        return new DpSgdResult(examples == 0 ? Double.NaN : lossTotal / examples, 0, steps, q, dp.noiseMultiplier(),
                clippedFraction);
    }

    /**
     * Runs {@code epochs} epochs of DP-SGD, updating {@code params} in place.
     *
     * @throws IllegalArgumentException if the arguments or the data do not fit the model
     * @throws IllegalStateException    if the loss, a gradient or a parameter becomes NaN or infinite
     */
    public static DpSgdResult train(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                    double lr, long seed, DpSgdConfig dp, NoiseSource noise) {
        return trainEpochs(model, params, data, epochs, batchSize, lr, seed, dp, noise, LocalTerms.NONE);
    }

    private static DpSgdResult trainEpochs(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                           double lr, long seed, DpSgdConfig dp, NoiseSource noise, LocalTerms terms) {
        Trainer.checkArguments(model, params, data, epochs, batchSize, lr);
        int n = data.rows();
        int batch = Math.min(batchSize, n);
        double q = (double) batch / n;
        int stepsPerEpoch = (n + batch - 1) / batch;
        PrivateGradient gradient = new PrivateGradient(model, dp.clipNorm(), dp.noiseMultiplier());
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] poissonBatch = new int[n];
        SplittableRandom sampling = new SplittableRandom(seed);
        SplittableRandom dropout = sampling.split();
        RandomGenerator noiseStream = noise.stream(seed);
        long steps = 0;
        long examples = 0;
        long clipped = 0;
        double lastEpochLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            if (dp.sampling() == BatchSampling.SHUFFLE) {
                Trainer.shuffle(order, sampling);
            }
            double epochLoss = 0;
            long epochExamples = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                if (dp.sampling() == BatchSampling.POISSON) {
                    int count = poissonSample(poissonBatch, n, q, sampling);
                    gradient.compute(params, data, poissonBatch, 0, count, batch, noiseStream, dropout, grad);
                    epochExamples += count;
                } else {
                    int from = s * batch;
                    int count = Math.min(batch, n - from);
                    gradient.compute(params, data, order, from, count, count, noiseStream, dropout, grad);
                    epochExamples += count;
                }
                double lossSum = gradient.lastLossSum();
                if (!Double.isFinite(lossSum)) {
                    throw diverged("the training loss is " + lossSum, epoch, epochs, s + 1, stepsPerEpoch, lr);
                }
                terms.addTo(params, grad);
                optimizer.step(params, grad, lr);
                steps++;
                int bad = Trainer.firstNonFinite(params);
                if (bad >= 0) {
                    throw diverged("parameter " + bad + " is " + params[bad], epoch, epochs, s + 1, stepsPerEpoch, lr);
                }
                epochLoss += lossSum;
                clipped += gradient.lastClipped();
            }
            examples += epochExamples;
            lastEpochLoss = epochExamples == 0 ? Double.NaN : epochLoss / epochExamples;
        }
        double clippedFraction = examples == 0 ? 0 : (double) clipped / examples;
        return new DpSgdResult(lastEpochLoss, epochs, steps, q, dp.noiseMultiplier(), clippedFraction);
    }

    /** How many noisy steps {@link #train} takes for n rows: epochs * ceil(n / min(B, n)). */
    public static long stepsFor(int rows, int epochs, int batchSize) {
        return LocalWork.epochs(epochs).stepsOver(rows, batchSize);
    }

    /** How many noisy steps a fit of {@code work} takes for n rows: see {@link LocalWork#stepsOver}. */
    public static long stepsFor(int rows, LocalWork work, int batchSize) {
        return work.stepsOver(rows, batchSize);
    }

    /** The sampling rate q = min(B, n) / n that {@link #train} uses for n rows. */
    public static double samplingRateFor(int rows, int batchSize) {
        return (double) Math.min(batchSize, rows) / rows;
    }

    /** Fills {@code out} with the rows a Poisson draw at rate q picks, in increasing order; returns how many. */
    static int poissonSample(int[] out, int n, double q, SplittableRandom rng) {
        if (q >= 1) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
            return n;
        }
        double logKeepOut = Math.log1p(-q);
        int count = 0;
        long i = -1;
        while (true) {
            // The gap to the next chosen row is geometric: skip floor(log(U) / log(1 - q)) rows.
            double gap = Math.floor(Math.log(1 - rng.nextDouble()) / logKeepOut);
            i += 1 + (long) Math.min(gap, n);
            if (i >= n) {
                return count;
            }
            out[count++] = (int) i;
        }
    }

    private static IllegalStateException diverged(String what, int epoch, int epochs, int step, int stepsPerEpoch,
                                                  double lr) {
        return new IllegalStateException("DP-SGD diverged: " + what + " at epoch " + epoch + "/" + epochs + ", step "
                + step + "/" + stepsPerEpoch + "; lower the learning rate (was " + lr + ") or the clip norm");
    }

    private static IllegalStateException divergedAtStep(String what, int step, int steps, double lr) {
        return new IllegalStateException("DP-SGD diverged: " + what + " at local step " + step + "/" + steps
                + "; lower the learning rate (was " + lr + ") or the clip norm");
    }
}
