package org.fedmed.core;

/**
 * Asks a site to evaluate the global model on its own held-out data and report aggregate metrics only.
 *
 * <p>With {@code fineTune} (personalization {@code kind: finetune}, sent with the evaluation of a run's last round)
 * the site also trains a copy of the global model on its own training rows with those settings (plain training: no
 * local term), keeps it as its personal model, and reports that model's metrics on the same held-out rows under the
 * same names prefixed with {@code personal_}. Null for every other evaluation.
 */
public record EvalTask(int round, String siteId, ModelParameters global, FitConfig fineTune) implements Task, java.io.Serializable {
    public EvalTask {
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        if (fineTune != null && !fineTune.terms().isEmpty()) {
            throw new IllegalArgumentException("fine-tuning is plain local training, but its settings carry local"
                    + " terms " + fineTune.terms().stream().map(LocalTerm::describe).toList());
        }
    }

    /** An evaluation without fine-tuning. */
    public EvalTask(int round, String siteId, ModelParameters global) {
        this(round, siteId, global, null);
    }

    /** The same evaluation asking the site to fine-tune with {@code settings} first (null: not to). */
    public EvalTask withFineTune(FitConfig settings) {
        return new EvalTask(round, siteId, global, settings);
    }
}
