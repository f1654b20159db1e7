package org.fedmed.ml.survival;

import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.TaskId;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.TrainingResult;

/**
 * A site that trains a Cox model on its own training rows and evaluates on its test rows, for tests that run the
 * real round engine and strategies over Cox coefficients until the objective seam lets the ordinary site client do
 * it. It keeps one batch cursor, so {@code local_steps} fits continue its data order from round to round. Its
 * evaluation releases the test rows' concordance counts (not the rows) and the Breslow loss.
 */
final class CoxSiteClient implements SiteClient {

    static final String C_INDEX = "c_index";
    static final String CONCORDANT = "concordant_pairs";
    static final String DISCORDANT = "discordant_pairs";
    static final String TIED = "tied_pairs";
    static final String COX_LOSS = "cox_loss";

    private final String id;
    private final CoxModel model;
    private final SurvivalData train;
    private final SurvivalData test;
    private final BatchCursor cursor = new BatchCursor();

    CoxSiteClient(String id, CoxModel model, SurvivalData train, SurvivalData test) {
        this.id = id;
        this.model = model;
        this.train = train;
        this.test = test;
    }

    @Override
    public String siteId() {
        return id;
    }

    @Override
    public synchronized FitResult fit(FitTask task) {
        float[] params = task.global().copyFlat();
        TrainingResult r = CoxTrainer.train(model, params, train, task.config(), cursor);
        return new FitResult(id, TaskId.of(task).toString(), model.wrap(params), false, train.rows(), 1.0,
                Map.of(COX_LOSS, r.lastEpochLoss()));
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        float[] params = task.global().flat();
        ConcordanceCounts c = ConcordanceIndex.counts(model, params, test);
        double loss = CoxModel.negLogPartialLikelihood(model.risk(params, test), test.times(), test.events())
                / test.rows();
        return new EvalResult(id, TaskId.of(task).toString(), test.rows(), Map.of(C_INDEX, c.cIndex(),
                CONCORDANT, (double) c.concordant(), DISCORDANT, (double) c.discordant(), TIED, (double) c.tied(),
                COX_LOSS, loss));
    }
}
