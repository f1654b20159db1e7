package org.fedmed.deploy.site;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.ModelSpecFamily;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.accounting.SampledGaussianSteps;
import org.fedmed.privacy.dpsgd.DpSgdTrainer;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.site.TaskPolicy;

/**
 * A deployed site whose data is a model family's dataset definition (fedmed-imaging's image definitions), the
 * family counterpart of {@link GovernedSite}: as a {@link TaskPolicy} it reviews each offer with its
 * {@link AllowListPolicy} (kind, strategy, approved spec, local work, local-term caps, {@code max_parameters}), then
 * also refuses an approved spec of another family and one whose model, built for this site's data, would not have the
 * offered layout; as a {@link SiteClient} it runs an approved task with the family's client for that spec
 * ({@link ModelSpecFamily#openSite}, built once per spec, on the site's own data), and throws
 * {@link IllegalStateException} for a task it did not approve. Each approval is used once. It keeps no state file
 * or personal model, and refuses an evaluation that asks it to fine-tune first.
 *
 * <p>With {@link DpSgdSettings} every fit trains with DP-SGD (the family's per-example clipping and noise, noise from
 * the settings' source) and is charged here, as {@link GovernedSite} charges a tabular site: before training, a fit
 * that would take the site past {@code max_epsilon} is refused (in review, and again before it trains, so two fits
 * approved together cannot overspend), with {@code DpSgdTrainer.accountedStepsFor(n, fit)} steps at
 * q = min(B, n) / n over the site's n training items; after it, the steps are composed into the site's
 * {@link RdpAccountant} and recorded in its {@link PrivacyLedger} (so a restarted process continues the account), and
 * the fit reports only {@code dp_epsilon}, the cumulative epsilon at the site's delta. Thread-safe.
 */
final class ModelFamilySite implements TaskPolicy, SiteClient, AutoCloseable {

    private final String siteId;
    private final AllowListPolicy policy;
    private final ModelSpecFamily family;
    private final Path definition;
    private final List<Path> dataRoots;
    private final String member;
    private final long seed;
    private final DpSgdSettings dpSgd;
    private final PrivacyLedger ledger;
    /** The site's DP-SGD account, under {@code this}'s lock; null without DP-SGD. */
    private final RdpAccountant account;
    private final Map<String, ModelSpec.Extension> approved = new ConcurrentHashMap<>();
    private final Map<ModelSpec.Extension, ModelSpecFamily.FamilySite> sites = new ConcurrentHashMap<>();

    /**
     * @param member the site's id in the definition, for a definition that deals its data to sites
     * @param seed   the data seed: a partitioned definition gives {@code member} the share simulation with this run
     *               seed gives it
     */
    ModelFamilySite(String siteId, String member, AllowListPolicy policy, ModelSpecFamily family, Path definition,
                    List<Path> dataRoots, long seed) {
        this(siteId, member, policy, family, definition, dataRoots, seed, null, null);
    }

    /**
     * A site that trains every fit with DP-SGD ({@code dpSgd}, not null) and keeps its example-level account in
     * {@code ledger} (null: in memory only, from zero).
     */
    ModelFamilySite(String siteId, String member, AllowListPolicy policy, ModelSpecFamily family, Path definition,
                    List<Path> dataRoots, long seed, DpSgdSettings dpSgd, PrivacyLedger ledger) {
        this.dpSgd = dpSgd;
        this.ledger = ledger;
        this.account = dpSgd == null ? null : ledger == null ? new RdpAccountant() : ledger.replayed();
        this.siteId = siteId;
        this.policy = policy;
        this.family = family;
        this.definition = definition;
        this.dataRoots = List.copyOf(dataRoots);
        this.member = member;
        this.seed = seed;
    }

    @Override
    public String siteId() {
        return siteId;
    }

    /** The family's client of {@code spec} on this site's data, opened on first use (reads the data then). */
    ModelSpecFamily.FamilySite site(ModelSpec.Extension spec) {
        ModelSpecFamily.DpNoise noise = dpSgd == null ? null : new ModelSpecFamily.DpNoise(dpSgd.clipNorm(),
                dpSgd.noiseMultiplier(), key -> dpSgd.noise(siteId).stream(key));
        return sites.computeIfAbsent(spec, s -> family.openSite(siteId, member, s, definition, dataRoots, seed,
                noise));
    }

    @Override
    public PolicyDecision review(TaskOffer offer) {
        PolicyDecision decision = policy.review(offer);
        if (!decision.accepted()) {
            return decision;
        }
        ModelSpec spec = policy.approvedSpec(offer).orElse(null);
        if (!(spec instanceof ModelSpec.Extension ext) || !family.types().contains(spec.type())) {
            return PolicyDecision.refuse("model spec type '" + (spec == null ? null : spec.type()) + "' does not"
                    + " train on this site's data: its dataset definition " + definition + " is of model types "
                    + family.types());
        }
        ModelSpecFamily.FamilySite site;
        try {
            site = site(ext);
        } catch (RuntimeException e) {
            return PolicyDecision.refuse("site '" + siteId + "' cannot build model " + spec.toJson() + " on its data ("
                    + definition + "): " + e.getMessage());
        }
        if (!site.layout().equals(offer.layout())) {
            return PolicyDecision.refuse("the task's model layout " + offer.layout().entries() + " is not that of "
                    + spec.toJson() + " built for this site's data, " + site.layout().entries());
        }
        if (offer.kind() == org.fedmed.transport.TaskKind.EVALUATE && offer.fitConfig() != null) {
            return PolicyDecision.refuse("the evaluation asks the site to fine-tune the model first (personalization"
                    + " kind finetune), which a site of model types " + family.types() + " does not do");
        }
        if (offer.kind() == org.fedmed.transport.TaskKind.FIT && offer.fitConfig().terms().stream()
                .anyMatch(t -> t instanceof org.fedmed.core.LocalTerm.UpdateNoise)) {
            return PolicyDecision.refuse("the fit asks the site to add DP-FedAvg noise to its update (local term '"
                    + org.fedmed.core.LocalTerm.UpdateNoise.NAME + "'), which a site of model types "
                    + family.types() + " does not do; the federation can use dp.noise: central");
        }
        if (dpSgd != null && offer.kind() == org.fedmed.transport.TaskKind.FIT) {
            java.util.Optional<String> over = overBudget(site.trainCount(), offer.fitConfig(), offer.round());
            if (over.isPresent()) {
                return PolicyDecision.refuse(over.get());
            }
        }
        approved.put(offer.taskId(), ext);
        return decision;
    }

    @Override
    public FitResult fit(FitTask task) throws Exception {
        ModelSpecFamily.FamilySite site = site(approvedSpecOf(task));
        if (dpSgd == null) {
            return site.client().fit(task);
        }
        synchronized (this) {
            // checked again here: two fits approved together cannot overspend
            java.util.Optional<String> over = overBudget(site.trainCount(), task.config(), task.round());
            if (over.isPresent()) {
                throw new org.fedmed.privacy.PrivacyBudgetExhaustedException("site '" + siteId + "', round "
                        + task.round() + ": " + over.get());
            }
            FitResult result = site.client().fit(task);
            double q = DpSgdTrainer.samplingRateFor(site.trainCount(), task.config().batchSize());
            long steps = DpSgdTrainer.accountedStepsFor(site.trainCount(), task.config());
            account.step(q, dpSgd.noiseMultiplier(), steps);
            if (ledger != null) {
                ledger.record(List.of(new SampledGaussianSteps(q, dpSgd.noiseMultiplier(), steps)), task.round());
            }
            return new FitResult(result.siteId(), result.taskId(), result.parameters(), result.isDelta(),
                    result.numExamples(), result.quality(), Map.of("dp_epsilon", epsilonSpent()),
                    result.auxiliary());
        }
    }

    /** The epsilon this site has spent at its delta over every DP-SGD fit, its ledger's included; 0 without. */
    synchronized double epsilonSpent() {
        return account == null ? 0 : account.epsilon(dpSgd.delta()).epsilon();
    }

    /** Why a fit of {@code fit} over {@code rows} training items would break the budget, if it would. */
    private synchronized java.util.Optional<String> overBudget(int rows, org.fedmed.core.FitConfig fit, int round) {
        if (dpSgd.maxEpsilon() == null) {
            return java.util.Optional.empty();
        }
        double max = dpSgd.maxEpsilon();
        double spent = epsilonSpent();
        double after = account.epsilonAfter(DpSgdTrainer.samplingRateFor(rows, fit.batchSize()),
                dpSgd.noiseMultiplier(), DpSgdTrainer.accountedStepsFor(rows, fit), dpSgd.delta()).epsilon();
        if (after > max) {
            return java.util.Optional.of(String.format(java.util.Locale.ROOT, "privacy budget: this fit (%s, batch"
                    + " size %d) would take the site's epsilon from %.4g to %.4g, over its max %s; it takes no fit"
                    + " that large", fit.work().describe(), fit.batchSize(), spent, after, max));
        }
        return java.util.Optional.empty();
    }

    @Override
    public EvalResult evaluate(EvalTask task) throws Exception {
        return site(approvedSpecOf(task)).client().evaluate(task);
    }

    private ModelSpec.Extension approvedSpecOf(Task task) {
        ModelSpec.Extension spec = approved.remove(task.taskId());
        if (spec == null) {
            throw new IllegalStateException("site '" + siteId + "' was asked to run task '" + task.taskId()
                    + "', which its allow-list did not approve");
        }
        return spec;
    }

    /** Frees every client's resources (the image sites' native networks). */
    @Override
    public void close() {
        for (ModelSpecFamily.FamilySite site : sites.values()) {
            try {
                site.resources().close();
            } catch (Exception e) {
                throw new IllegalStateException("site '" + siteId + "': closing its model failed: " + e.getMessage(), e);
            }
        }
    }
}
