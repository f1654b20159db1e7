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
 * {@link IllegalStateException} for a task it did not approve. Each approval is used once. It keeps no state file,
 * personal model or privacy account (the site process refuses {@code privacy.dp_sgd} for it). Thread-safe.
 */
final class ModelFamilySite implements TaskPolicy, SiteClient, AutoCloseable {

    private final String siteId;
    private final AllowListPolicy policy;
    private final ModelSpecFamily family;
    private final Path definition;
    private final List<Path> dataRoots;
    private final String member;
    private final long seed;
    private final Map<String, ModelSpec.Extension> approved = new ConcurrentHashMap<>();
    private final Map<ModelSpec.Extension, ModelSpecFamily.FamilySite> sites = new ConcurrentHashMap<>();

    /**
     * @param member the site's id in the definition, for a definition that deals its data to sites
     * @param seed   the data seed: a partitioned definition gives {@code member} the share simulation with this run
     *               seed gives it
     */
    ModelFamilySite(String siteId, String member, AllowListPolicy policy, ModelSpecFamily family, Path definition,
                    List<Path> dataRoots, long seed) {
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
        return sites.computeIfAbsent(spec, s -> family.openSite(siteId, member, s, definition, dataRoots, seed));
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
        approved.put(offer.taskId(), ext);
        return decision;
    }

    @Override
    public FitResult fit(FitTask task) throws Exception {
        return site(approvedSpecOf(task)).client().fit(task);
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
