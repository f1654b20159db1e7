package org.fedmed.deploy.site;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Task;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.TrainingSiteClient;
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
 */
public final class GovernedSite implements TaskPolicy, SiteClient {

    private final LocalData data;
    private final AllowListPolicy policy;
    private final Map<String, ModelSpec> approved = new ConcurrentHashMap<>();
    private final Map<ModelSpec, LocalModel> models = new ConcurrentHashMap<>();

    /** An approved spec's model for this site's data, and the client that trains it. */
    private record LocalModel(Model model, TrainingSiteClient client) {
    }

    /** A site with {@code data}, whose id is the site's id, governed by {@code policy}. */
    public GovernedSite(LocalData data, AllowListPolicy policy) {
        if (data == null || policy == null) {
            throw new IllegalArgumentException("a governed site needs its local data and its policy");
        }
        this.data = data;
        this.policy = policy;
    }

    @Override
    public String siteId() {
        return data.siteId();
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
            Model model = localModel(spec.get()).model();
            if (!model.layout().equals(offer.layout())) {
                return PolicyDecision.refuse("the task's model " + offer.layout().entries() + " is not the model spec "
                        + spec.get().toJson() + " builds for this site's " + data.featureNames().size()
                        + " inputs and " + data.classes() + " classes " + model.layout().entries());
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
        return clientFor(task).fit(task);
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        return clientFor(task).evaluate(task);
    }

    /** The spec approved for a task still waiting to run, if any. */
    public Optional<ModelSpec> approvedSpec(String taskId) {
        return Optional.ofNullable(approved.get(taskId));
    }

    private TrainingSiteClient clientFor(Task task) {
        if (!task.siteId().equals(siteId())) {
            throw new IllegalStateException("site '" + siteId() + "' was asked to run task '" + task.taskId()
                    + "' addressed to site '" + task.siteId() + "'");
        }
        ModelSpec spec = approved.remove(task.taskId());
        if (spec == null) {
            throw new IllegalStateException("site '" + siteId() + "' did not approve task '" + task.taskId()
                    + "'; it runs only tasks its allow-list accepted");
        }
        return localModel(spec).client();
    }

    private LocalModel localModel(ModelSpec spec) {
        return models.computeIfAbsent(spec, s -> {
            Model model = Models.build(s, data.featureNames().size(), data.classes());
            return new LocalModel(model, new TrainingSiteClient(siteId(), model, data.site().train(), data.site().test(),
                    data.site().quality()));
        });
    }
}
