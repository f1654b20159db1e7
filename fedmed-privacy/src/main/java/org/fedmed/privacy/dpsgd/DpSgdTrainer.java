package org.fedmed.privacy.dpsgd;

import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.PoissonBatches;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingResult;
import org.fedmed.ml.TrainingSeams;
import org.fedmed.privacy.NoiseSource;

/**
 * Local training with DP-SGD (Abadi et al. 2016): the one site {@link Trainer} with DP-SGD's seams. Every step
 * clips each example's gradient to C, sums, adds N(0, (z C)^2), divides by the batch size (the expected size B for
 * Poisson batches) and hands the result to the optimizer named in the model's spec. An epoch is ceil(n / B) steps,
 * with Poisson or shuffled batches ({@link BatchSampling}); the result carries the q = B / n and step count an
 * {@link org.fedmed.privacy.accounting.RdpAccountant} needs. Batches and dropout are seeded by the seed; the noise
 * comes from the noise source's stream for that seed, so a seeded source makes training reproducible bit for bit. A
 * {@code local_steps} fit takes exactly S steps: Poisson batches drawn afresh each step, or shuffled batches from the
 * site's {@link BatchCursor}, which carries the order over from fit to fit.
 *
 * <p>A fit's {@link org.fedmed.core.LocalTerm}s (FedProx's proximal term, SCAFFOLD's correction) are added by the
 * trainer to the clipped, noised gradient at every step, before the optimizer's step. They depend on the parameters,
 * the global model and control variates only, never on an example, so they change neither the sensitivity nor the
 * privacy account; a fit without terms trains bit for bit as before they existed.
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
        PrivateGradient gradient = gradient(model, dp, noise, config.seed());
        TrainingResult result = Trainer.train(model, params, data, config, cursor, params, seams(gradient, dp));
        return new DpSgdResult(result.lastEpochLoss(), result.epochs(), result.steps(),
                samplingRateFor(data.rows(), config.batchSize()), dp.noiseMultiplier(), gradient.clippedFraction());
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
        return train(model, params, data, new FitConfig(LocalWork.steps(steps), batchSize, lr, false, seed), dp, noise,
                cursor);
    }

    /**
     * Runs {@code epochs} epochs of DP-SGD, updating {@code params} in place.
     *
     * @throws IllegalArgumentException if the arguments or the data do not fit the model
     * @throws IllegalStateException    if the loss, a gradient or a parameter becomes NaN or infinite
     */
    public static DpSgdResult train(Model model, float[] params, LabeledData data, int epochs, int batchSize,
                                    double lr, long seed, DpSgdConfig dp, NoiseSource noise) {
        return train(model, params, data, new FitConfig(LocalWork.epochs(epochs), batchSize, lr, false, seed), dp,
                noise, new BatchCursor());
    }

    /** The gradient seam of one DP-SGD fit: clipped to C, noised at z from the noise source's stream for the seed. */
    static PrivateGradient gradient(Model model, DpSgdConfig dp, NoiseSource noise, long seed) {
        return new PrivateGradient(model, dp.clipNorm(), dp.noiseMultiplier(), noise.stream(seed));
    }

    /** DP-SGD's seams: {@code gradient} over the batches {@code dp} samples. */
    static TrainingSeams seams(PrivateGradient gradient, DpSgdConfig dp) {
        return new TrainingSeams(gradient, dp.sampling().sampler());
    }

    /** How many noisy steps {@link #train} takes for n rows: epochs * ceil(n / min(B, n)). */
    public static long stepsFor(int rows, int epochs, int batchSize) {
        return LocalWork.epochs(epochs).stepsOver(rows, batchSize);
    }

    /** How many noisy steps a fit of {@code work} takes for n rows: see {@link LocalWork#stepsOver}. */
    public static long stepsFor(int rows, LocalWork work, int batchSize) {
        return work.stepsOver(rows, batchSize);
    }

    /**
     * How many noisy steps a site's fit of {@code config} takes for n rows, over all its trainings: the fit's steps
     * ({@link LocalWork#stepsOver}) times {@link #trainingsPerFit}. This is what the site's accountant composes.
     */
    public static long accountedStepsFor(int rows, FitConfig config) {
        return config.work().stepsOver(rows, config.batchSize()) * trainingsPerFit(config);
    }

    /**
     * How many DP-SGD trainings over the site's rows a fit of {@code config} runs, each of the fit's local work: 2
     * for Ditto (the global model and the personal model, whose metrics leave the site), 1 otherwise (FedProx's and
     * SCAFFOLD's terms read no data; FedPer trains one model).
     */
    public static int trainingsPerFit(FitConfig config) {
        return config.terms().stream().anyMatch(t -> t instanceof LocalTerm.Ditto) ? 2 : 1;
    }

    /** The sampling rate q = min(B, n) / n that {@link #train} uses for n rows. */
    public static double samplingRateFor(int rows, int batchSize) {
        return (double) Math.min(batchSize, rows) / rows;
    }

    /** Fills {@code out} with the rows a Poisson draw at rate q picks, in increasing order; returns how many. */
    static int poissonSample(int[] out, int n, double q, SplittableRandom rng) {
        return PoissonBatches.sample(out, n, q, rng);
    }
}
