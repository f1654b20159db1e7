package org.fedmed.privacy.dpsgd;

import org.fedmed.core.LabeledData;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.Model;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.accounting.RdpAccountant;

/**
 * A site that trains with DP-SGD: the one {@link TrainingSiteClient} in its {@link DpSgdTraining} mode, named so that
 * callers can read the site's privacy account. It keeps its own example-level privacy account across every round it
 * takes part in: each fit composes its steps (q = B / n, z) into the site's {@link RdpAccountant}, and a fit that
 * would take the site past its {@code maxEpsilon} is refused before any training. The only training metric it sends
 * is {@code dp_epsilon}, its cumulative epsilon at its delta; the training loss stays at the site, since it is not
 * noised. Evaluation is that of {@link TrainingSiteClient}. A {@code local_steps} fit composes exactly S steps, and
 * with shuffled batches continues the site's data order from its previous fit ({@link BatchCursor}).
 */
public final class DpSgdSiteClient extends TrainingSiteClient {

    private final DpSgdTraining training;

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
        this(siteId, model, train, test, quality, new DpSgdTraining(dp, noise, spentBefore));
    }

    private DpSgdSiteClient(String siteId, Model model, LabeledData train, LabeledData test, double quality,
                            DpSgdTraining training) {
        super(siteId, model, train, test, quality, training);
        this.training = training;
    }

    /** The site's cumulative example-level privacy at its delta over all fits so far. */
    public PrivacySpent privacySpent() {
        return training.privacySpent();
    }

    /** A copy of the site's accountant. */
    public RdpAccountant accountant() {
        return training.accountant();
    }
}
