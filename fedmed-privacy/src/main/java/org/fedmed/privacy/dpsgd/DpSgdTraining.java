package org.fedmed.privacy.dpsgd;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;
import org.fedmed.ml.Model;
import org.fedmed.ml.SiteTraining;
import org.fedmed.ml.TrainingResult;
import org.fedmed.ml.TrainingSeams;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;

/**
 * DP-SGD as a site's {@link SiteTraining} mode, with the site's example-level privacy account across every round it
 * takes part in. Each fit trains with {@link DpSgdTrainer}'s seams (noise from the noise source's stream for the
 * task's seed) and composes its steps (q = B / n, z) into the site's {@link RdpAccountant}; a fit that would take the
 * site past its {@code maxEpsilon} is refused before any training with a {@link PrivacyBudgetExhaustedException}.
 * The only training metric a fit reports is {@code dp_epsilon}, the cumulative epsilon at the config's delta; the
 * training loss stays at the site, since it is not noised.
 *
 * <p>Every local term trains under it, and what each costs is fixed here:
 * <ul>
 *   <li>FedProx's {@code mu (w - w_global)} and SCAFFOLD's {@code c - c_i} are added to the clipped, noised
 *       gradient; they are functions of the model, the global model and control variates that are themselves
 *       functions of earlier private outputs, never of an example, so they cost nothing: the fit composes its steps
 *       exactly as a fit without them. SCAFFOLD's new c_i and Delta c_i are computed from the DP-trained model
 *       ({@code Delta c_i = (x - y) / (K lr) - c}), post-processing of the update the site sends anyway.</li>
 *   <li>FedPer trains once, with DP-SGD; the personal tensors it keeps and its personal metrics are post-processing
 *       of that training, so it costs what a plain fit costs.</li>
 *   <li>Ditto trains twice over the same rows: the global model, and the personal model, whose evaluation metrics
 *       leave the site. Both train with DP-SGD, the personal model with its own batches and noise
 *       ({@link #personalSeed}), so a Ditto fit composes twice the fit's steps, each at (q, z).</li>
 * </ul>
 * Thread-safe: the account is read and written under this object's lock.
 */
public final class DpSgdTraining implements SiteTraining {

    /** The key of the personal model's seed within the fit's seed ({@link Seeds#substream}). */
    static final long PERSONAL_MODEL_KEY = 1;

    private final DpSgdConfig dp;
    private final NoiseSource noise;
    private final RdpAccountant accountant;

    /**
     * @param noise       where the noise comes from, per fit stream keyed by the task's seed; use
     *                    {@link NoiseSource#secure()} outside simulation
     * @param spentBefore what the site has already spent on these rows (copied; a fresh accountant for nothing)
     */
    public DpSgdTraining(DpSgdConfig dp, NoiseSource noise, RdpAccountant spentBefore) {
        this.dp = Objects.requireNonNull(dp, "dp");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.accountant = spentBefore.copy();
    }

    @Override
    public synchronized void admit(String siteId, FitTask task, int trainRows) {
        double q = DpSgdTrainer.samplingRateFor(trainRows, task.config().batchSize());
        long steps = DpSgdTrainer.accountedStepsFor(trainRows, task.config());
        PrivacySpent after = accountant.epsilonAfter(q, dp.noiseMultiplier(), steps, dp.delta());
        if (after.epsilon() > dp.maxEpsilon()) {
            throw new PrivacyBudgetExhaustedException(String.format(Locale.ROOT,
                    "site '%s', round %d: training would spend epsilon %.4g at delta %.3g, over the site's max_epsilon "
                            + "%.4g (spent so far: %.4g)", siteId, task.round(), after.epsilon(), dp.delta(),
                    dp.maxEpsilon(), privacySpent().epsilon()));
        }
    }

    @Override
    public TrainingSeams seams(Model model, FitTask task) {
        if (model.objective().lossFamily() != org.fedmed.core.objective.LossFamily.PER_ROW) {
            // a risk-set loss has no per-example term to clip: one row alone is its own risk set
            throw new IllegalArgumentException("DP-SGD clips each example's gradient, but objective "
                    + model.objective().key() + " has a loss per risk set, not per row; train it without site_dp");
        }
        return DpSgdTrainer.seams(DpSgdTrainer.gradient(model, dp, noise, task.config().seed()), dp);
    }

    /**
     * A seed of the personal model's own, from the fit's seed: Ditto's personal training draws its Poisson batches
     * (or its shuffled order) and its noise independently of the global model's training.
     */
    @Override
    public long personalSeed(FitTask task) {
        return Seeds.substream(task.config().seed(), PERSONAL_MODEL_KEY);
    }

    @Override
    public synchronized Map<String, Double> completed(FitTask task, int trainRows, TrainingResult result) {
        accountant.step(DpSgdTrainer.samplingRateFor(trainRows, task.config().batchSize()), dp.noiseMultiplier(),
                result.steps() * DpSgdTrainer.trainingsPerFit(task.config()));
        return Map.of("dp_epsilon", privacySpent().epsilon());
    }

    /** The DP-SGD settings this mode trains with. */
    public DpSgdConfig config() {
        return dp;
    }

    /** The site's cumulative example-level privacy at its delta over all fits so far. */
    public synchronized PrivacySpent privacySpent() {
        return accountant.epsilon(dp.delta());
    }

    /** A copy of the site's accountant. */
    public synchronized RdpAccountant accountant() {
        return accountant.copy();
    }
}
