package org.fedmed.deploy.site;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalWork;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.data.federated.SiteData;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.dpsgd.DpSgdSiteClient;
import org.fedmed.privacy.dpsgd.DpSgdTrainer;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.site.TaskPolicy;

/**
 * A site that trains and evaluates only what its allow-list approved. As a {@link TaskPolicy} it reviews each
 * offer with its {@link AllowListPolicy}, and also refuses an approved spec whose model, built for this site's
 * data, would not have the offered parameter layout; on acceptance it remembers which spec the task was approved
 * for. As a {@link SiteClient} it runs a fit or evaluate with the model of that spec, on the site's own data
 * ({@link TrainingSiteClient}, built once per spec), and throws {@link IllegalStateException} for a task it did not
 * approve. Each approval is used once. Thread-safe.
 *
 * <p>With {@link DpSgdSettings} the site trains every fit with DP-SGD ({@link DpSgdSiteClient}) instead, on the same
 * data and spec. A {@code DpSgdSiteClient} keeps the privacy account of its own fits, so such a site must approve
 * exactly one model spec: its one client then accounts for every fit of the process, and {@link #epsilonSpent()}
 * is the site's whole spending. With a {@code max_epsilon}, {@link #review} refuses a fit once the spent epsilon
 * has reached it, or when the offered fit (its epochs or steps and batch size over this site's training rows) would take
 * the site past it; evaluations are still accepted. The client checks the budget again before it trains, and DP
 * fits run one at a time, so two fits approved together cannot overspend. After each DP fit the site logs its
 * spent epsilon at INFO. With a {@link PrivacyLedger} the account survives restarts; without one a new process
 * starts from zero.
 *
 * <p>A fit that carries DP-FedAvg's {@link org.fedmed.core.LocalTerm.UpdateNoise} ({@code dp.noise: local} or
 * {@code distributed}) is reviewed against the site's {@link UpdateNoiseSettings} (refused below its least noise
 * multiplier or above its largest clip norm, and a fit without the term refused when the site requires it); after
 * training the update is clipped and noised with the site's own randomness before it leaves, with any DP-SGD too.
 * The site keeps the last noised update ({@link SiteNoisedRelease}, in a file too with {@link SiteFiles}), so a
 * resumed server that asks for its unrecorded round again gets the same release rather than a second noise draw
 * of it, even from a restarted site process.
 *
 * <p>A fit that carries a personalization (FedPer's personal layers or Ditto's lambda, within the allow-list's caps)
 * makes the spec's {@link TrainingSiteClient} keep a personal model, which never leaves the site and whose metrics
 * its evaluations report under {@code personal_} names. It lives in this object for the run, across reconnects and a
 * server restart; {@link #endRun} writes it beside the audit log and forgets it when the server ends the run.
 *
 * <p>With {@link SiteFiles}, a site that trains without DP-SGD also keeps what it carries between the fits of a run
 * (batch cursor, SCAFFOLD's c_i, the personal model: {@link TrainingSiteClient#trainingState()}) in its state file
 * ({@link SiteStateFile}), written atomically after every fit and before the fit's result leaves, for the run the
 * server names with its tasks; and after every evaluation that follows a personalized fit it rewrites its personal
 * model file, so a run that ends without its end message still leaves the latest one. A site built with a saved
 * state restores it into the first client of that run, at the run's first task: a site process that restarts during a
 * run continues it as the process that died would have. A saved state is never used for another run (it is moved
 * aside, named in the log) nor for the same run under another strategy, model spec or layout (its tasks are refused,
 * naming the file). A task of another run than the last one drops what the site kept for that one; the end of a run
 * deletes the state file.
 *
 * <p>An evaluation that carries fine-tuning settings (personalization {@code kind: finetune}, on the evaluation of a
 * run's last round) also trains a copy of the global model on the site's training rows with them, exactly as
 * {@code simulate}'s {@code personalized} regime does, and reports its metrics under {@code personal_} names; the
 * fine-tuned model is the site's personal model, written to its personal model file. A DP-SGD site refuses it.
 *
 * <p>It is one file, longer than most, because reviewing a task and running it share the approvals, the clients kept
 * per spec and the run they belong to; the run's state file is {@link SiteRunState}'s, the files' formats are
 * {@link SiteStateFile}'s and {@link SitePersonalModelFile}'s.
 */
public final class GovernedSite implements TaskPolicy, SiteClient {

    private static final System.Logger LOG = System.getLogger(GovernedSite.class.getName());

    private final String siteId;
    private volatile LocalData data;
    private final AllowListPolicy policy;
    private final DpSgdSettings dpSgd;
    private final PrivacyLedger ledger;
    private final Object dpFitLock = new Object();
    private final Map<String, ModelSpec> approved = new ConcurrentHashMap<>();
    private final Map<ModelSpec, LocalModel> models = new ConcurrentHashMap<>();
    private volatile org.fedmed.privacy.accounting.RdpAccountant carriedAccount;
    private volatile Evaluated lastEvaluated;
    private final SiteFiles files;
    private final SiteRunState runState;
    private final UpdateNoiseSettings updateNoise;
    private volatile SiteNoisedRelease lastNoised;
    private volatile SiteNoisedRelease.Stored storedRelease;

    /**
     * Where a site keeps its files for a run, beside its audit log.
     *
     * @param state         the training state after each fit ({@link SiteStateFile})
     * @param personalModel the personal model ({@link SitePersonalModelFile})
     * @param preprocessing the preprocessing the personal model's inputs go through, named in its provenance
     * @param noisedRelease the last update sent with DP-FedAvg noise ({@link SiteNoisedRelease}); null: kept in
     *                      memory only
     */
    public record SiteFiles(Path state, Path personalModel, Path preprocessing, Path noisedRelease) {
        public SiteFiles {
            if (state == null || personalModel == null) {
                throw new IllegalArgumentException("a site's files need the state file and the personal model file");
            }
        }

        /** The files beside {@code auditLog}. */
        public static SiteFiles beside(Path auditLog) {
            return new SiteFiles(SiteStateFile.beside(auditLog), SitePersonalModelFile.beside(auditLog),
                    SitePreprocessingFile.beside(auditLog), SiteNoisedRelease.beside(auditLog));
        }
    }

    /**
     * The global model of the last evaluation the site ran, the spec it was approved for, and, when that evaluation
     * fine-tuned it, the fine-tuned model and its settings (else null).
     */
    private record Evaluated(ModelSpec spec, int round, org.fedmed.core.ModelParameters global, float[] tuned,
                             org.fedmed.core.FitConfig fineTune) {
    }

    /** An approved spec's model for this site's data, and the client that trains it: plain or DP-SGD. */
    private record LocalModel(Model model, TrainingSiteClient plain, DpSgdSiteClient dp) {
        EvalResult evaluate(EvalTask task) {
            return dp == null ? plain.evaluate(task) : dp.evaluate(task);
        }
    }

    /** A site with {@code data}, whose id is the site's id, governed by {@code policy}, without DP-SGD. */
    public GovernedSite(LocalData data, AllowListPolicy policy) {
        this(data, policy, null);
    }

    /**
     * A site with {@code data}, governed by {@code policy}, that trains with DP-SGD under {@code dpSgd} (null for
     * ordinary training).
     *
     * @throws IllegalArgumentException if DP-SGD is asked for and the allow-list approves more than one model spec
     */
    public GovernedSite(LocalData data, AllowListPolicy policy, DpSgdSettings dpSgd) {
        this(data, policy, dpSgd, null);
    }

    /**
     * As {@link #GovernedSite(LocalData, AllowListPolicy, DpSgdSettings)}, with the site's privacy account kept in
     * {@code ledger}: it continues from what the ledger recorded, and each DP fit is recorded before its result is
     * returned (null: the account lives only in this process).
     */
    public GovernedSite(LocalData data, AllowListPolicy policy, DpSgdSettings dpSgd, PrivacyLedger ledger) {
        this(requireData(data).siteId(), policy, dpSgd, ledger);
        this.data = data;
    }

    /**
     * A site {@code siteId} whose data is {@linkplain #prepare prepared} later, from the federation's merged
     * statistics; until then it refuses every task, saying why.
     */
    public GovernedSite(String siteId, AllowListPolicy policy, DpSgdSettings dpSgd, PrivacyLedger ledger) {
        this(siteId, policy, dpSgd, ledger, null, null);
    }

    /**
     * As {@link #GovernedSite(String, AllowListPolicy, DpSgdSettings, PrivacyLedger)}, keeping its state and personal
     * model in {@code files} (null: in memory only) and continuing from {@code saved}, a state an earlier process of
     * this site wrote (null: none).
     *
     * @throws IllegalArgumentException if {@code saved} belongs to another site
     */
    public GovernedSite(String siteId, AllowListPolicy policy, DpSgdSettings dpSgd, PrivacyLedger ledger,
                        SiteFiles files, SiteStateFile.Contents saved) {
        this(siteId, policy, dpSgd, ledger, files, saved, UpdateNoiseSettings.DEFAULT);
    }

    /**
     * As {@link #GovernedSite(String, AllowListPolicy, DpSgdSettings, PrivacyLedger, SiteFiles,
     * SiteStateFile.Contents)}, adding DP-FedAvg's noise to its updates on request within {@code updateNoise}'s
     * bounds, drawn from its source.
     */
    public GovernedSite(String siteId, AllowListPolicy policy, DpSgdSettings dpSgd, PrivacyLedger ledger,
                        SiteFiles files, SiteStateFile.Contents saved, UpdateNoiseSettings updateNoise) {
        if (updateNoise == null) {
            throw new IllegalArgumentException("site '" + siteId + "': update noise settings are required"
                    + " (UpdateNoiseSettings.DEFAULT for none)");
        }
        this.updateNoise = updateNoise;
        if (files != null && files.noisedRelease() != null) {
            try {
                this.storedRelease = SiteNoisedRelease.read(files.noisedRelease(), siteId).orElse(null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("site '" + siteId + "': " + e.getMessage(), e);
            }
        }
        if (siteId == null || policy == null) {
            throw new IllegalArgumentException("a governed site needs its id and its policy");
        }
        if (dpSgd != null && policy.allowList().modelSpecs().size() != 1) {
            throw new IllegalArgumentException("site '" + siteId + "': "
                    + SiteConfig.oneSpecForDpSgd(policy.allowList().modelSpecs().size()));
        }
        this.siteId = siteId;
        this.files = files;
        this.runState = new SiteRunState(siteId, files == null ? null : files.state(), saved);
        this.policy = policy;
        this.dpSgd = dpSgd;
        this.ledger = ledger;
    }

    private static LocalData requireData(LocalData data) {
        if (data == null) {
            throw new IllegalArgumentException("a governed site needs its local data and its policy");
        }
        return data;
    }

    /**
     * Makes {@code prepared} the site's data from now on (built from the federation's merged statistics), dropping
     * the models built for earlier data; a DP-SGD site keeps its privacy account.
     */
    public synchronized void prepare(LocalData prepared) {
        if (!prepared.siteId().equals(siteId)) {
            throw new IllegalArgumentException("site '" + siteId + "' was given the data of site '" + prepared.siteId() + "'");
        }
        var accountants = models.values().stream().map(LocalModel::dp).filter(java.util.Objects::nonNull)
                .map(DpSgdSiteClient::accountant).toList();
        carriedAccount = accountants.isEmpty() ? carriedAccount : accountants.getFirst();
        models.clear();
        data = prepared;
    }

    /** The site's prepared data. */
    private LocalData data() {
        LocalData d = data;
        if (d == null) {
            throw new IllegalStateException("site '" + siteId + "' has not prepared its data yet: it builds its"
                    + " preprocessing from the federation's merged statistics, which the server sends before round 1");
        }
        return d;
    }

    @Override
    public String siteId() {
        return siteId;
    }

    @Override
    public PolicyDecision review(TaskOffer offer) {
        try {
            approved.remove(offer.taskId());
            PolicyDecision decision = policy.review(offer);
            if (!decision.accepted()) {
                return decision;
            }
            Optional<ModelSpec> spec = policy.approvedSpec(offer);
            if (spec.isEmpty()) {
                return PolicyDecision.refuse("the site's allow-list accepted the task but approved no model spec for it");
            }
            LocalModel local = localModel(spec.get());
            Model model = local.model();
            if (!model.layout().equals(offer.layout())) {
                return PolicyDecision.refuse("the task's model " + offer.layout().entries() + " is not the model spec "
                        + spec.get().toJson() + " builds for this site's " + data().featureNames().size()
                        + " inputs and " + data().classes() + " classes " + model.layout().entries());
            }
            Optional<String> stateProblem = joinRun(offer, spec.get());
            if (stateProblem.isPresent()) {
                return PolicyDecision.refuse(stateProblem.get());
            }
            if (offer.kind() == TaskKind.FIT) {
                Optional<String> noise = updateNoise.refusal(offer.fitConfig());
                if (noise.isPresent()) {
                    return PolicyDecision.refuse(noise.get());
                }
            }
            if (offer.kind() == TaskKind.FIT && offer.fitConfig().terms().stream()
                    .anyMatch(t -> t instanceof org.fedmed.core.LocalTerm.ControlVariates)) {
                String term = "the fit asks for local term '" + org.fedmed.core.LocalTerm.ControlVariates.NAME
                        + "' (SCAFFOLD), which this site does not train: ";
                if (dpSgd != null) {
                    return PolicyDecision.refuse(term + "it trains with DP-SGD, which keeps no control variate");
                }
                if (!(spec.get().optimizer() instanceof org.fedmed.ml.OptimizerSpec.Sgd sgd) || sgd.momentum() != 0) {
                    return PolicyDecision.refuse(term + "its control-variate update assumes plain local SGD, but model"
                            + " spec " + spec.get().toJson() + " trains with " + spec.get().optimizer());
                }
            }
            if (dpSgd != null && offer.kind() == TaskKind.EVALUATE && offer.fitConfig() != null) {
                return PolicyDecision.refuse("the evaluation asks the site to fine-tune the model on its training rows"
                        + " (personalization kind finetune), which this site does not: it trains only with DP-SGD,"
                        + " within its privacy account");
            }
            if (dpSgd != null && offer.kind() == TaskKind.FIT) {
                Optional<String> overBudget = overBudget(local.dp(), offer);
                if (overBudget.isPresent()) {
                    return PolicyDecision.refuse(overBudget.get());
                }
            }
            approved.put(offer.taskId(), spec.get());
            return decision;
        } catch (RuntimeException e) {
            if (offer != null) {
                approved.remove(offer.taskId());
            }
            return PolicyDecision.refuse("the site could not review the task: " + e);
        }
    }

    @Override
    public FitResult fit(FitTask task) {
        ModelSpec spec = approvedSpecOf(task);
        LocalModel local = localModel(spec);
        DpSgdSiteClient dp = local.dp();
        if (dp == null) {
            FitResult result = withUpdateNoise(task, spec, local.plain().fit(task));
            runState.save(spec, local.plain(), task.round());
            return result;
        }
        synchronized (dpFitLock) {
            long stepsBefore = dp.accountant().steps();
            FitResult result = dp.fit(task);
            if (ledger != null) {
                var after = dp.accountant();
                var last = after.history().getLast();
                ledger.record(java.util.List.of(new org.fedmed.privacy.accounting.SampledGaussianSteps(last.samplingRate(),
                        last.noiseMultiplier(), after.steps() - stepsBefore)), task.round());
            }
            PrivacySpent spent = dp.privacySpent();
            LOG.log(Level.INFO, () -> String.format(Locale.ROOT,
                    "site '%s': epsilon spent %.4g (delta %s) after round %d", siteId(), spent.epsilon(),
                    spent.delta(), task.round()));
            return withUpdateNoise(task, spec, result);
        }
    }

    /**
     * The update as it leaves the site: clipped and noised as the fit's {@link org.fedmed.core.LocalTerm.UpdateNoise}
     * asks (the review checked it against the site's bounds), or unchanged for a fit without the term. An update
     * that cannot be clipped fails the fit, so nothing un-noised is sent. The same task of the same run from the same
     * global model with the same settings, asked again, gets the update sent the first time (kept in memory and, with
     * {@link SiteFiles}, written before it leaves): re-sending one release costs no privacy, a second noise draw of
     * the round would.
     */
    private FitResult withUpdateNoise(FitTask task, ModelSpec spec, FitResult result) {
        Optional<org.fedmed.core.LocalTerm.UpdateNoise> term = UpdateNoiseSettings.asked(task.config());
        if (term.isEmpty()) {
            return result;
        }
        String run = runState.run();
        SiteNoisedRelease.Stored stored = storedRelease;
        if (stored != null && stored.repeats(run, task)) {
            lastNoised = stored.forTask(siteId, task);
        }
        storedRelease = null;
        SiteNoisedRelease last = lastNoised;
        if (last != null && last.repeats(run, task)) {
            LOG.log(Level.INFO, () -> "site '" + siteId + "': task '" + task.taskId() + "' of run '" + run
                    + "' asked again from the same global model; sending the noised update it sent before");
            return last.result();
        }
        FitResult out = result;
        try {
            for (org.fedmed.core.filter.UpdateFilter f : updateNoise.filters(term.get(), siteId)) {
                out = f.apply(out, task.global());
            }
        } catch (org.fedmed.core.strategy.UpdateRejectedException e) {
            throw new IllegalStateException("site '" + siteId + "' cannot add the noise task '" + task.taskId()
                    + "' asks for (" + term.get().describe() + ") to its update, and sends none: " + e.getMessage(), e);
        }
        SiteNoisedRelease release = SiteNoisedRelease.of(run, task, out);
        if (files != null && files.noisedRelease() != null && !run.isEmpty()) {
            try {
                release.write(files.noisedRelease(), siteId, task.round(), spec);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("site '" + siteId + "', round " + task.round() + ": cannot"
                        + " write its noised update to " + files.noisedRelease() + " (" + e.getMessage() + "); the"
                        + " update is not sent, as a restarted site could not send it again and would draw its"
                        + " noise a second time", e);
            }
        }
        lastNoised = release;
        return out;
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        ModelSpec spec = approvedSpecOf(task);
        LocalModel local = localModel(spec);
        EvalResult result = local.evaluate(task);
        float[] tuned = null;
        if (task.fineTune() != null) {
            if (local.plain() == null) {
                throw new IllegalStateException("site '" + siteId + "' trains with DP-SGD and does not fine-tune");
            }
            tuned = task.global().copyFlat();
            org.fedmed.ml.Trainer.train(local.model(), tuned, data().site().train(), task.fineTune());
            Map<String, Double> metrics = new java.util.LinkedHashMap<>(result.metrics());
            local.plain().metrics(tuned).forEach((name, v) ->
                    metrics.put(org.fedmed.core.metrics.ClassificationMetrics.PERSONAL_PREFIX + name, v));
            result = new EvalResult(result.siteId(), result.taskId(), result.numExamples(), metrics);
        }
        lastEvaluated = new Evaluated(spec, task.round(), task.global(), tuned, task.fineTune());
        writePersonalModel("not yet: written after the evaluation of round " + task.round() + " of run '"
                + runState.run() + "'; rewritten after every later evaluation and when the run ends");
        return result;
    }

    /**
     * Makes the offer's run the site's current one: a task of another run than the last drops the clients kept for
     * that one (not a DP-SGD client, whose account spans runs); a saved state is restored into the spec's fresh client
     * or set aside ({@link SiteRunState#restoreInto}). Returns why the task is refused, if it is.
     */
    private synchronized Optional<String> joinRun(TaskOffer offer, ModelSpec spec) {
        if (runState.enter(offer)) {
            models.values().removeIf(m -> m.dp() == null);
            lastEvaluated = null;
        }
        if (!runState.hasSaved()) {
            return Optional.empty();
        }
        LocalModel local = localModel(spec);
        Optional<String> refused = runState.restoreInto(offer, spec, local.plain());
        if (refused.isPresent()) {
            models.remove(spec, local);
        }
        return refused;
    }

    /** Rewrites the personal model file, when the site keeps files and a personal model; failures are logged. */
    private void writePersonalModel(String runEnded) {
        if (files == null) {
            return;
        }
        try {
            personalModel(files.personalModel(), files.preprocessing(), runEnded);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "site '" + siteId + "': cannot write its personal model to "
                    + files.personalModel() + ": " + e);
        }
    }

    /**
     * Ends the site's part in a run: when its fits kept a personal model (FedPer or Ditto), writes that model, next
     * to the global model the site last evaluated (the run's final model when the server evaluates every round), to
     * {@code file} with its provenance ({@link SitePersonalModelFile}), and forgets it, so that the next run starts
     * a personal model of its own. Until this is called the personal model lives in this process for as long as it
     * runs (across reconnects, and across a restart of the server) and, with {@link SiteFiles}, in the state file
     * (across a restart of the site). Nothing is written, and empty returned, when the
     * site kept no personal model. With {@link SiteFiles} it also deletes the state file and the noised release: the
     * run is over, there is nothing left to continue.
     *
     * @param runEnded how the run ended, for the provenance
     * @throws IOException if the file cannot be written (the personal model is then kept)
     */
    public synchronized Optional<Path> endRun(Path file, Path preprocessing, String runEnded) throws IOException {
        runState.ended();
        lastNoised = null;
        if (files != null && files.noisedRelease() != null) {
            java.nio.file.Files.deleteIfExists(files.noisedRelease());
        }
        Evaluated last = lastEvaluated;
        Optional<Path> written = personalModel(file, preprocessing, runEnded);
        if (written.isPresent()) {
            models.remove(last.spec(), models.get(last.spec()));
            lastEvaluated = null;
            LOG.log(Level.INFO, () -> "site '" + siteId + "': personal model written to " + file);
        }
        return written;
    }

    /** Writes the personal model next to the global model last evaluated, if the site keeps one. */
    private synchronized Optional<Path> personalModel(Path file, Path preprocessing, String runEnded)
            throws IOException {
        Evaluated last = lastEvaluated;
        if (last == null) {
            return Optional.empty();
        }
        LocalModel local = models.get(last.spec());
        if (local != null && local.plain() != null && last.tuned() != null) {
            LocalData d = data();
            SitePersonalModelFile.write(new SitePersonalModelFile.Contents(siteId, last.spec(), d.classes(), null,
                    last.round(), org.fedmed.core.ModelParameters.ofFlat(last.global().layout(), last.tuned()),
                    d.featureNames(), preprocessing, local.plain().metrics(last.tuned()), runEnded, last.fineTune()),
                    file);
            return Optional.of(file);
        }
        if (local == null || local.plain() == null || local.plain().personalization().isEmpty()) {
            return Optional.empty();
        }
        TrainingSiteClient client = local.plain();
        float[] personal = client.personalParameters(last.global());
        LocalData d = data();
        SitePersonalModelFile.write(new SitePersonalModelFile.Contents(siteId, last.spec(), d.classes(),
                client.personalization().get(), last.round(),
                org.fedmed.core.ModelParameters.ofFlat(last.global().layout(), personal), d.featureNames(),
                preprocessing, client.metrics(personal), runEnded), file);
        return Optional.of(file);
    }

    /** The spec approved for a task still waiting to run, if any. */
    public Optional<ModelSpec> approvedSpec(String taskId) {
        return Optional.ofNullable(approved.get(taskId));
    }

    /**
     * The epsilon this site has spent at its delta over all its fits so far (those of its one approved spec), 0
     * before the first; empty when the site trains without DP-SGD.
     */
    public Optional<Double> epsilonSpent() {
        if (dpSgd == null) {
            return Optional.empty();
        }
        if (models.isEmpty()) {
            return Optional.of(ledger == null ? 0.0 : ledger.replayed().epsilon(dpSgd.delta()).epsilon());
        }
        return Optional.of(models.values().stream().mapToDouble(m -> m.dp().privacySpent().epsilon()).sum());
    }

    /** Why the offered fit would break the site's privacy budget, if it would. */
    private Optional<String> overBudget(DpSgdSiteClient client, TaskOffer offer) {
        if (dpSgd.maxEpsilon() == null) {
            return Optional.empty();
        }
        double max = dpSgd.maxEpsilon();
        double spent = client.privacySpent().epsilon();
        if (spent >= max) {
            return Optional.of(String.format(Locale.ROOT, "privacy budget: epsilon spent %.4g of max %s; this site "
                    + "takes no more fit tasks", spent, max));
        }
        int rows = data().site().train().rows();
        LocalWork work = offer.fitConfig().work();
        int batch = offer.fitConfig().batchSize();
        double after = client.accountant().epsilonAfter(DpSgdTrainer.samplingRateFor(rows, batch),
                dpSgd.noiseMultiplier(), DpSgdTrainer.accountedStepsFor(rows, offer.fitConfig()), dpSgd.delta()).epsilon();
        if (after > max) {
            return Optional.of(String.format(Locale.ROOT, "privacy budget: this fit (%s, batch size %d) "
                    + "would take the site's epsilon from %.4g to %.4g, over its max %s; it takes no fit that "
                    + "large", work.describe(), batch, spent, after, max));
        }
        return Optional.empty();
    }

    private ModelSpec approvedSpecOf(Task task) {
        if (!task.siteId().equals(siteId())) {
            throw new IllegalStateException("site '" + siteId() + "' was asked to run task '" + task.taskId()
                    + "' addressed to site '" + task.siteId() + "'");
        }
        ModelSpec spec = approved.remove(task.taskId());
        if (spec == null) {
            throw new IllegalStateException("site '" + siteId() + "' did not approve task '" + task.taskId()
                    + "'; it runs only tasks its allow-list accepted");
        }
        return spec;
    }

    private LocalModel localModel(ModelSpec spec) {
        return models.computeIfAbsent(spec, s -> {
            LocalData d = data();
            SiteData site = d.site();
            Model model = Models.build(s, d.featureNames().size(),
                    Models.objective(s, site.train().layout(), d.classes()));
            if (dpSgd == null) {
                return new LocalModel(model, new TrainingSiteClient(siteId(), model, site.train(), site.test(),
                        site.quality()), null);
            }
            return new LocalModel(model, null, new DpSgdSiteClient(siteId(), model, site.train(), site.test(),
                    site.quality(), dpSgd.config(), dpSgd.noise(siteId()),
                    carriedAccount != null ? carriedAccount
                            : ledger == null ? new org.fedmed.privacy.accounting.RdpAccountant() : ledger.replayed()));
        });
    }
}
