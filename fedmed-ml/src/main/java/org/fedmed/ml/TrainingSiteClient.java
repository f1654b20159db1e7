package org.fedmed.ml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.metrics.ClassificationMetrics;

/**
 * A site that trains and evaluates a declaratively specified model on its own data. It accepts only
 * parameters whose layout matches the model it was configured with, returns parameters and aggregate metrics,
 * and nothing else: no row, prediction or label leaves it. For {@code local_steps} fits it keeps one
 * {@link BatchCursor} over its training rows for its whole life, so each fit continues the data order where the
 * previous one stopped; its fits run one at a time. It keeps its SCAFFOLD control variate c_i
 * ({@link SiteControlVariate}) the same way, for its whole life, and returns Delta c with a SCAFFOLD fit's update;
 * it refuses a SCAFFOLD fit whose model does not train with plain SGD, that carries no server control variate, or
 * that also carries a personalization.
 *
 * <p>A fit that carries a personalization ({@link LocalTerm.PersonalLayers FedPer} or {@link LocalTerm.Ditto Ditto})
 * makes the site keep a {@link PersonalModel} for its life (one run), which never leaves it; the update it returns
 * is as that class says. Its evaluations then report, next to the global model's metrics, its personal model's
 * metrics on the same test rows under the same names prefixed with
 * {@link ClassificationMetrics#PERSONAL_PREFIX} ({@code personal_log_loss}, ...), so the server's round records show
 * both; before its first personalized fit a site reports the global model's metrics only.
 *
 * <p>This is the one site client that trains, in simulation and deployment: its {@link SiteTraining} mode says how.
 * {@link SiteTraining#PLAIN} is ordinary training and sends the training loss; DP-SGD ({@code DpSgdSiteClient} in
 * {@code fedmed-privacy}, this class with its mode) keeps the site's privacy account and sends only its epsilon. The
 * mode admits each fit, gives the seams it trains with and records it once trained, all under the lock that
 * serializes the site's fits. Every training of a fit runs with the mode's seams: the global model's, SCAFFOLD's
 * and FedPer's (one training each), and Ditto's personal model's (a second training, with the mode's seams for the
 * fit under {@link SiteTraining#personalSeed}).
 */
public class TrainingSiteClient implements SiteClient {

    private final String siteId;
    private final Model model;
    private final LabeledData train;
    private final LabeledData test;
    private final double quality;
    private final BatchCursor cursor = new BatchCursor();
    private RoundMarks roundStarts = new RoundMarks();
    private final PersonalModel personal;
    private final SiteTraining training;
    private final SiteControlVariate control = new SiteControlVariate();

    /** A site that trains plainly ({@link SiteTraining#PLAIN}). */
    public TrainingSiteClient(String siteId, Model model, LabeledData train, LabeledData test, double quality) {
        this(siteId, model, train, test, quality, SiteTraining.PLAIN);
    }

    /** A site that trains as {@code training} says. */
    public TrainingSiteClient(String siteId, Model model, LabeledData train, LabeledData test, double quality,
                              SiteTraining training) {
        if (train.rows() == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no training rows");
        }
        if (test.rows() == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no test rows");
        }
        this.siteId = siteId;
        this.model = model;
        this.train = train;
        this.test = test;
        this.quality = quality;
        this.personal = new PersonalModel(model);
        this.training = Objects.requireNonNull(training, "training");
    }

    @Override
    public final String siteId() {
        return siteId;
    }

    @Override
    public final FitResult fit(FitTask task) {
        checkLayout(task.global());
        float[] global = task.global().flat();
        float[] params = task.global().copyFlat();
        boolean scaffold = task.config().terms().stream().anyMatch(t -> t instanceof LocalTerm.ControlVariates);
        Map<String, Double> trainMetrics;
        Map<String, ModelParameters> auxiliary = Map.of();
        synchronized (cursor) {
            training.admit(siteId, task, train.rows());
            float[] c = scaffold ? serverControl(task) : null;
            startRound(task.round());
            TrainingResult result;
            try {
                TrainingSeams seams = training.seams(model, task);
                LocalTerm personalization = PersonalModel.personalization(task.config());
                if (scaffold) {
                    LocalTerms terms = LocalTerms.bind(task.config(), global, control.correction(c, task.round()));
                    result = Trainer.train(model, params, train, task.config(), cursor, terms, seams);
                } else {
                    result = personalization == null
                            ? Trainer.train(model, params, train, task.config(), cursor, params, seams)
                            : personalFit(task, personalization, global, params, seams);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("site '" + siteId + "', round " + task.round() + ": " + e.getMessage(),
                        e);
            }
            if (scaffold) {
                float[] deltaC = control.advance(global, params, c, result.steps(), task.config().learningRate(),
                        task.round());
                auxiliary = Map.of(LocalTerm.ControlVariates.CONTROL_DELTA,
                        ModelParameters.ofFlat(model.layout(), deltaC));
            }
            trainMetrics = training.completed(task, train.rows(), result);
        }
        if (task.config().sendDelta()) {
            for (int i = 0; i < params.length; i++) {
                params[i] -= global[i];
            }
        }
        return new FitResult(siteId, task.taskId(), ModelParameters.ofFlat(model.layout(), params),
                task.config().sendDelta(), train.rows(), quality, trainMetrics, auxiliary);
    }

    /**
     * A personalized fit through the site's {@link PersonalModel}: Ditto's personal model trains with the seams the
     * mode gives for the fit under its {@link SiteTraining#personalSeed personal seed} (plain training: the fit's
     * own seams and seed), FedPer's one training with the fit's.
     */
    private TrainingResult personalFit(FitTask task, LocalTerm personalization, float[] global, float[] params,
                                       TrainingSeams seams) {
        long seed = training.personalSeed(task);
        TrainingSeams personalSeams = personalization instanceof LocalTerm.Ditto
                ? training.seams(model, new FitTask(task.round(), task.siteId(), task.global(),
                        task.config().withSeed(seed), task.auxiliary()))
                : seams;
        return personal.fit(task.round(), personalization, global, params, train, task.config(), cursor, seams,
                seed, personalSeams);
    }

    /**
     * The server control variate c of a SCAFFOLD fit, after checking that this site can train it: the task carries
     * c, the model trains with plain SGD, which option II's update assumes, and the fit carries no personalization.
     */
    private float[] serverControl(FitTask task) {
        String term = "local term '" + LocalTerm.ControlVariates.NAME + "' (SCAFFOLD)";
        if (!(model.spec().optimizer() instanceof OptimizerSpec.Sgd sgd) || sgd.momentum() != 0) {
            throw new IllegalArgumentException("site '" + siteId + "', round " + task.round() + ": the fit asks for "
                    + term + ", whose control-variate update assumes plain local SGD, but the model's optimizer is "
                    + model.spec().optimizer());
        }
        if (PersonalModel.personalization(task.config()) != null) {
            throw new IllegalArgumentException("site '" + siteId + "', round " + task.round() + ": the fit asks for "
                    + term + " together with a personalization " + task.config().terms()
                    + "; this site trains no fit with both");
        }
        ModelParameters c = task.auxiliary().get(LocalTerm.ControlVariates.SERVER_CONTROL);
        if (c == null) {
            throw new IllegalArgumentException("site '" + siteId + "', round " + task.round() + ": the fit asks for "
                    + term + " but carries no server control variate '" + LocalTerm.ControlVariates.SERVER_CONTROL
                    + "' (it carries " + task.auxiliary().keySet() + ")");
        }
        return c.flat();
    }

    /**
     * Puts the batch cursor where {@code round} starts: a new round marks where it stands; a round this site already
     * trained (a server resumed from an earlier round runs it again) rewinds to the round's mark, so the re-run takes
     * the batches the first run took, and the marks of later rounds are dropped.
     */
    private void startRound(int round) {
        BatchCursor.Mark start = roundStarts.get(round);
        roundStarts.dropAfter(round);
        if (start == null) {
            roundStarts.add(round, cursor.mark());
        } else {
            cursor.rewind(start);
        }
    }

    /** This site's SCAFFOLD control variate c_i as it stands: zeros before its first SCAFFOLD fit. */
    public final float[] controlVariate() {
        synchronized (cursor) {
            return control.value(model.parameterCount());
        }
    }

    /**
     * What this site carries from one fit to the next besides the global model (its batch cursor and the marks of
     * the rounds it trained, runs of equal steps folded, its SCAFFOLD c_i with a pending one, its personal model
     * with the state before the last fit), as named vectors and values that {@link #restoreTrainingState} reads
     * back: a site restored from it trains every later fit, a round it already trained included, bit for bit as
     * this one would. A site that trains every round with the same work keeps a state of constant size.
     */
    public final org.fedmed.core.strategy.StrategyState trainingState() {
        synchronized (cursor) {
            java.util.Map<String, String> values = new LinkedHashMap<>(cursor.state(CURSOR));
            values.put(ROUND_STARTS, roundStarts.write());
            return new org.fedmed.core.strategy.StrategyState(Map.of(), values).merge(control.state())
                    .merge(personal.state());
        }
    }

    /**
     * Continues from a {@link #trainingState()} of a site with this model and these training rows, in a client that
     * has trained no fit yet.
     *
     * @throws IllegalStateException    if this client has already trained a fit
     * @throws IllegalArgumentException naming the entry, if the state is malformed or belongs to another model or
     *                                  another number of training rows
     */
    public final void restoreTrainingState(org.fedmed.core.strategy.StrategyState state) {
        synchronized (cursor) {
            if (cursor.started() || !roundStarts.isEmpty() || personal.kind() != null) {
                throw new IllegalStateException("site '" + siteId + "' has trained already; a training state is"
                        + " restored into a site that has not");
            }
            java.util.Map<String, String> values = state.values();
            if (values.containsKey(CURSOR + ".rows") && BatchCursor.number(values, CURSOR + ".rows") != train.rows()) {
                throw new IllegalArgumentException("site '" + siteId + "': the training state orders "
                        + values.get(CURSOR + ".rows") + " training rows, but this site has " + train.rows());
            }
            cursor.restore(values, CURSOR);
            roundStarts = RoundMarks.read(values.getOrDefault(ROUND_STARTS, ""), ROUND_STARTS);
            control.restore(state, model.parameterCount());
            personal.restore(state);
        }
    }

    private static final String CURSOR = "training.cursor";
    private static final String ROUND_STARTS = "training.round_starts";

    @Override
    public final EvalResult evaluate(EvalTask task) {
        checkLayout(task.global());
        float[] global = task.global().flat();
        Map<String, Double> metrics = new LinkedHashMap<>(metrics(global));
        synchronized (cursor) {
            if (personal.isPresent()) {
                metrics(personal.parameters(global)).forEach((name, v) ->
                        metrics.put(ClassificationMetrics.PERSONAL_PREFIX + name, v));
            }
        }
        return new EvalResult(siteId, task.taskId(), test.rows(), metrics);
    }

    /**
     * This site's personal model next to {@code global}: FedPer's global body with the site's own personal tensors,
     * Ditto's personal model, or a copy of {@code global} when the site has had no personalized fit.
     */
    public final float[] personalParameters(ModelParameters global) {
        checkLayout(global);
        synchronized (cursor) {
            return personal.parameters(global.flat());
        }
    }

    /**
     * The personalization this site keeps a personal model for ({@link LocalTerm.PersonalLayers FedPer} or
     * {@link LocalTerm.Ditto Ditto}), or empty when it has had no personalized fit.
     */
    public java.util.Optional<LocalTerm> personalization() {
        synchronized (cursor) {
            return java.util.Optional.ofNullable(personal.kind());
        }
    }

    /** Test metrics of the given parameters on this site's test split: the model's objective's metrics. */
    public final Map<String, Double> metrics(float[] params) {
        return model.objective().metrics().compute(model.predict(params, test), test.labels());
    }

    private void checkLayout(ModelParameters global) {
        if (!global.layout().equals(model.layout())) {
            throw new IllegalArgumentException("site '" + siteId + "': the task's model " + global.layout().entries()
                    + " is not the model this site was configured for " + model.layout().entries());
        }
    }
}
