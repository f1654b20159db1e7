package org.fedmed.privacy.dpsgd;

import java.util.Locale;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.PrivacyBudgetExhaustedException;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;

/**
 * A site that trains with DP-SGD and keeps its own example-level privacy account across every round it takes part
 * in: each fit composes its steps (q = B / n, z) into the site's {@link RdpAccountant}, and a fit that would take
 * the site past its {@code maxEpsilon} is refused before any training. The only training metric it sends is
 * {@code dp_epsilon}, its cumulative epsilon at its delta; the training loss stays at the site, since it is not
 * noised. Evaluation is that of {@link TrainingSiteClient}. A {@code local_steps} fit composes exactly S steps, and
 * with shuffled batches continues the site's data order from its previous fit ({@link BatchCursor}).
 */
public final class DpSgdSiteClient implements SiteClient {

    private final String siteId;
    private final Model model;
    private final LabeledData train;
    private final double quality;
    private final DpSgdConfig dp;
    private final NoiseSource noise;
    private final TrainingSiteClient evaluator;
    private final RdpAccountant accountant;
    private final BatchCursor cursor = new BatchCursor();

    /**
     * @param noise where the DP-SGD noise comes from, per fit stream keyed by the task's seed; use
     *              {@link NoiseSource#secure()} outside simulation
     */
    public DpSgdSiteClient(String siteId, Model model, LabeledData train, LabeledData test, double quality,
                           DpSgdConfig dp, NoiseSource noise) {
        this(siteId, model, train, test, quality, dp, noise, new RdpAccountant());
    }

    /**
     * As {@link #DpSgdSiteClient(String, Model, LabeledData, LabeledData, double, DpSgdConfig, NoiseSource)}, for a
     * site that has already spent privacy on these rows: its account continues from a copy of {@code spentBefore}
     * (for example replayed from the site's ledger after a restart), so the budget and the reported epsilon cover
     * every fit, not only this process's.
     */
    public DpSgdSiteClient(String siteId, Model model, LabeledData train, LabeledData test, double quality,
                           DpSgdConfig dp, NoiseSource noise, RdpAccountant spentBefore) {
        this.accountant = spentBefore.copy();
        this.evaluator = new TrainingSiteClient(siteId, model, train, test, quality);
        this.siteId = siteId;
        this.model = model;
        this.train = train;
        this.quality = quality;
        this.dp = dp;
        this.noise = noise;
    }

    @Override
    public String siteId() {
        return siteId;
    }

    @Override
    public FitResult fit(FitTask task) {
        if (!task.global().layout().equals(model.layout())) {
            throw new IllegalArgumentException("site '" + siteId + "': the task's model " + task.global().layout().entries()
                    + " is not the model this site was configured for " + model.layout().entries());
        }
        for (org.fedmed.core.LocalTerm t : task.config().terms()) {
            if (t instanceof org.fedmed.core.LocalTerm.Ditto || t instanceof org.fedmed.core.LocalTerm.PersonalLayers) {
                throw new IllegalArgumentException("site '" + siteId + "': DP-SGD training does not keep a personal"
                        + " model; the fit asks for '" + t.describe() + "' (use personalization without site_dp)");
            }
        }
        double q = DpSgdTrainer.samplingRateFor(train.rows(), task.config().batchSize());
        long steps = DpSgdTrainer.stepsFor(train.rows(), task.config().work(), task.config().batchSize());
        PrivacySpent after = accountant.epsilonAfter(q, dp.noiseMultiplier(), steps, dp.delta());
        if (after.epsilon() > dp.maxEpsilon()) {
            throw new PrivacyBudgetExhaustedException(String.format(Locale.ROOT,
                    "site '%s', round %d: training would spend epsilon %.4g at delta %.3g, over the site's max_epsilon "
                            + "%.4g (spent so far: %.4g)", siteId, task.round(), after.epsilon(), dp.delta(),
                    dp.maxEpsilon(), privacySpent().epsilon()));
        }
        float[] global = task.global().flat();
        float[] params = task.global().copyFlat();
        DpSgdResult result;
        try {
            synchronized (cursor) {
                result = DpSgdTrainer.train(model, params, train, task.config(), dp, noise, cursor);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("site '" + siteId + "', round " + task.round() + ": " + e.getMessage(), e);
        }
        accountant.step(result.samplingRate(), result.noiseMultiplier(), result.steps());
        if (task.config().sendDelta()) {
            for (int i = 0; i < params.length; i++) {
                params[i] -= global[i];
            }
        }
        return new FitResult(siteId, task.taskId(), ModelParameters.ofFlat(model.layout(), params),
                task.config().sendDelta(), train.rows(), quality, Map.of("dp_epsilon", privacySpent().epsilon()));
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        return evaluator.evaluate(task);
    }

    /** The site's cumulative example-level privacy at its delta over all fits so far. */
    public PrivacySpent privacySpent() {
        return accountant.epsilon(dp.delta());
    }

    /** A copy of the site's accountant. */
    public RdpAccountant accountant() {
        return accountant.copy();
    }
}
