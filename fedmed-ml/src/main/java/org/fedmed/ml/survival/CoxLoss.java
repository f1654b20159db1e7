package org.fedmed.ml.survival;

/**
 * The two Cox losses a site can train with. Both are the negative log partial likelihood of the linear predictor
 * {@code eta = beta^T x} over the rows they are given (a mini-batch, or all of a site's rows when the batch size is at
 * least the row count), with risk sets formed only from those rows, both divided by the number of those rows
 * (censored rows included); they differ only in how rows with tied times share a risk set. Every row's term is
 * {@code E_i * (log sum_{j in R_i} exp(eta_j) - eta_i)}, where {@code E_i} is 1 for an observed event and 0 for a
 * censored row.
 */
public enum CoxLoss {

    /**
     * Breslow's handling of ties: the risk set of an event at time t is every row whose time is {@code >= t}, so
     * tied rows all belong to each other's risk sets and the loss does not depend on the order of the rows. Over all
     * of a site's rows, the loss times the row count is the site's negative log partial likelihood
     * ({@link CoxModel#negLogPartialLikelihood}), the Breslow likelihood lifelines and R's {@code coxph(ties =
     * "breslow")} maximize.
     */
    BRESLOW("breslow"),

    /**
     * The loss of FLamby's Fed-TCGA-BRCA benchmark ({@code flamby/datasets/fed_tcga_brca/loss.py},
     * {@code BaselineLoss}), computed per mini-batch as FLamby computes it: the batch's rows are sorted by time,
     * longest first, with Python's stable {@code sorted}, so rows with tied times keep their batch order; the risk
     * set of the row at sorted position i is the rows at positions 0..i; row i's term is
     * {@code E_i * (logsumexp(eta_0..eta_i) - eta_i)} (position 0's term is 0, which FLamby leaves at 0 without
     * computing it); and the loss is the mean of the terms over all rows of the batch, censored rows included
     * ({@code loss.mean()}). With tied times this is not Breslow's likelihood: of two tied rows, the one later in the
     * batch is left out of the earlier one's risk set, as if it had failed first, so the loss depends on the batch
     * order. Without ties the two losses are equal. FLamby computes in float32 with torch; fedmed computes the same
     * formula in double, so values agree to float32 rounding, not bit for bit.
     */
    FLAMBY_BATCH("flamby_batch");

    private final String key;

    CoxLoss(String key) {
        this.key = key;
    }

    /** The spelling of this loss in spec files and reports. */
    public String key() {
        return key;
    }

    /**
     * The loss spelled {@code key}.
     *
     * @throws IllegalArgumentException naming the known spellings
     */
    public static CoxLoss of(String key) {
        for (CoxLoss l : values()) {
            if (l.key.equals(key)) {
                return l;
            }
        }
        throw new IllegalArgumentException("Cox loss must be 'breslow' or 'flamby_batch', got '" + key + "'");
    }
}
