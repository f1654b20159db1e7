package org.fedmed.deploy.site;

import java.util.Locale;
import java.util.Optional;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.UpdateRelease;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.site.TaskPolicy;

/**
 * A {@link TaskPolicy} that enforces a site's {@link AllowList}: a task is accepted only if its kind, its strategy
 * label and its model spec (the offer's model spec label, read as a {@link ModelSpec} and compared field by field
 * with the approved specs) are allowed, a fit asks for no more local epochs (or local steps) than allowed and each of its
 * local terms is within the site's cap for it (FedProx's {@code prox_mu} at most {@code max_prox_mu}, Ditto's
 * {@code lambda} at most {@code max_ditto_lambda}, FedPer's personal layers only with {@code personal_layers}), and the model has
 * no more parameters than allowed. An evaluation that asks the site to fine-tune first (personalization
 * {@code kind: finetune}) trains like a fit: it needs fit tasks allowed and its local work within the same caps. A
 * refusal says what was asked and what is allowed. A site that requires secure aggregation
 * ({@code require_secure_aggregation: true}) refuses every fit that would send its update in the clear. An error while
 * reviewing is a refusal, never an acceptance. Thread-safe: it holds no mutable state.
 */
public final class AllowListPolicy implements TaskPolicy {

    private final AllowList allow;
    private final boolean requireSecureAggregation;
    /** The last model spec text read and what it reads as: a run's tasks name the same spec every round. */
    private volatile ParsedSpec lastSpec;

    private record ParsedSpec(String text, ModelSpec spec) {
    }

    public AllowListPolicy(AllowList allow) {
        this(allow, false);
    }

    /** @param requireSecureAggregation refuse every fit that does not keep the update for a secure sum */
    public AllowListPolicy(AllowList allow, boolean requireSecureAggregation) {
        if (allow == null) {
            throw new IllegalArgumentException("an allow-list is required");
        }
        this.allow = allow;
        this.requireSecureAggregation = requireSecureAggregation;
    }

    /** Whether this site takes part only in rounds with secure aggregation. */
    public boolean requiresSecureAggregation() {
        return requireSecureAggregation;
    }

    /** The allow-list this policy enforces. */
    public AllowList allowList() {
        return allow;
    }

    @Override
    public PolicyDecision review(TaskOffer offer) {
        try {
            return check(offer).decision();
        } catch (RuntimeException e) {
            return PolicyDecision.refuse("the site's allow-list could not review the task: " + e);
        }
    }

    /** The approved spec the offer asks to train or evaluate, or empty if the offer is refused. */
    public Optional<ModelSpec> approvedSpec(TaskOffer offer) {
        try {
            return Optional.ofNullable(check(offer).spec());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A decision and, when it accepts, the approved spec it accepted. */
    private record Verdict(PolicyDecision decision, ModelSpec spec) {
        static Verdict refuse(String reason) {
            return new Verdict(PolicyDecision.refuse(reason), null);
        }
    }

    private Verdict check(TaskOffer offer) {
        String kind = offer.kind().name().toLowerCase(Locale.ROOT);
        if (!allow.tasks().contains(offer.kind())) {
            return Verdict.refuse("task kind '" + kind + "' is not allowed; this site allows tasks " + allow.taskNames());
        }
        if (requireSecureAggregation && offer.kind() == TaskKind.FIT && offer.release() != UpdateRelease.SECURE_SUM) {
            return Verdict.refuse("the fit would send this site's update to the server in the clear; this site takes"
                    + " part only in rounds with secure aggregation (require_secure_aggregation: true)");
        }
        if (offer.strategy() == null || !allow.strategies().contains(offer.strategy())) {
            return Verdict.refuse("strategy '" + offer.strategy() + "' is not allowed; this site allows strategies "
                    + allow.strategies());
        }
        if (offer.layout() == null) {
            return Verdict.refuse("the task declares no parameter layout");
        }
        long parameters = offer.layout().totalSize();
        if (parameters > allow.maxParameters()) {
            return Verdict.refuse("the model has " + parameters + " parameters; this site allows at most "
                    + allow.maxParameters() + " (max_parameters)");
        }
        if (offer.kind() == TaskKind.EVALUATE && offer.fitConfig() != null && !allow.tasks().contains(TaskKind.FIT)) {
            return Verdict.refuse("the evaluation asks the site to fine-tune the model on its training rows first"
                    + " (personalization kind finetune), which trains like a fit; this site allows tasks "
                    + allow.taskNames());
        }
        if (offer.fitConfig() != null) {
            String what = offer.kind() == TaskKind.FIT ? "the fit" : "the evaluation's fine-tuning";
            Optional<String> tooMuch = switch (offer.fitConfig().work()) {
                case LocalWork.Epochs e -> e.count() <= allow.maxLocalEpochs() ? Optional.<String>empty()
                        : Optional.of(what + " asks for " + e.count() + " local epochs; this site allows at most "
                                + allow.maxLocalEpochs() + " (max_local_epochs)");
                case LocalWork.Steps s -> s.count() <= allow.maxLocalSteps() ? Optional.<String>empty()
                        : Optional.of(what + " asks for " + s.count() + " local steps; this site allows at most "
                                + allow.maxLocalSteps() + " (max_local_steps)");
            };
            if (tooMuch.isPresent()) {
                return Verdict.refuse(tooMuch.get());
            }
            for (LocalTerm term : offer.fitConfig().terms()) {
                Optional<String> over = switch (term) {
                    case LocalTerm.Proximal p -> p.mu() <= allow.maxProxMu() ? Optional.<String>empty()
                            : Optional.of("the fit asks for " + LocalTerm.Proximal.KEY + " " + p.mu()
                                    + "; this site allows at most " + allow.maxProxMu() + " (max_prox_mu)");
                    case LocalTerm.ControlVariates cv -> offer.auxiliary()
                            .contains(LocalTerm.ControlVariates.SERVER_CONTROL) ? Optional.<String>empty()
                            : Optional.of("the fit asks for local term '" + cv.name() + "' (SCAFFOLD) but carries no"
                                    + " server control variate '" + LocalTerm.ControlVariates.SERVER_CONTROL + "'");
                    case LocalTerm.Ditto d -> d.lambda() <= allow.maxDittoLambda() ? Optional.<String>empty()
                            : Optional.of("the fit asks for " + LocalTerm.Ditto.KEY + " " + d.lambda()
                                    + "; this site allows at most " + allow.maxDittoLambda() + " (max_ditto_lambda)");
                    case LocalTerm.PersonalLayers p -> allow.personalLayers() ? Optional.<String>empty()
                            : Optional.of("the fit asks this site to keep personal layers (" + LocalTerm.PersonalLayers.KEY
                                    + ", tensors " + p.tensors() + " of " + offer.layout().entries().size()
                                    + "); this site allows none (personal_layers: false)");
                    // bounded by the site's privacy.update_noise section, which the site that adds it checks
                    case LocalTerm.UpdateNoise n -> Optional.<String>empty();
                };
                if (over.isPresent()) {
                    return Verdict.refuse(over.get());
                }
            }
        }
        if (offer.modelSpec() == null || offer.modelSpec().isBlank()) {
            return Verdict.refuse("the task names no model spec; this site trains only approved specs "
                    + approvedJson());
        }
        ModelSpec asked;
        try {
            asked = parse(offer.modelSpec());
        } catch (RuntimeException e) {
            return Verdict.refuse("model spec '" + offer.modelSpec() + "' is not a valid model spec (" + e.getMessage()
                    + "); this site trains only approved specs " + approvedJson());
        }
        if (!allow.modelSpecs().contains(asked)) {
            return Verdict.refuse("model spec " + asked.toJson() + " is not approved; this site trains only approved specs "
                    + approvedJson());
        }
        return new Verdict(PolicyDecision.accept(), asked);
    }

    /** {@code text} as a model spec, read once for as long as the tasks keep naming the same text. */
    private ModelSpec parse(String text) {
        ParsedSpec last = lastSpec;
        if (last != null && last.text().equals(text)) {
            return last.spec();
        }
        ModelSpec spec = ModelSpec.parse(text);
        lastSpec = new ParsedSpec(text, spec);
        return spec;
    }

    private String approvedJson() {
        return allow.modelSpecs().stream().map(ModelSpec::toJson).toList().toString();
    }
}
