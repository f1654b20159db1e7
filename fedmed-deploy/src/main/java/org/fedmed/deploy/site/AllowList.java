package org.fedmed.deploy.site;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;

/**
 * The {@code allow} section of a site's config: the data-governance allow-list. A task runs only if its kind,
 * its strategy and its model spec are listed here, its local epochs are at most {@code maxLocalEpochs} (or its local
 * steps at most {@code maxLocalSteps}), its proximal weight {@code prox_mu} at most {@code maxProxMu}, its Ditto weight
 * {@code lambda} at most {@code maxDittoLambda}, it asks for FedPer's personal layers only if {@code personalLayers}
 * allows them, and its model has at most {@code maxParameters} parameters; everything else is refused.
 *
 * @param tasks          task kinds the site accepts; non-empty
 * @param strategies     strategy labels the site accepts (for example {@code fedavg}); non-empty
 * @param modelSpecs     model specs the site agrees to train; non-empty
 * @param maxLocalEpochs most local epochs a fit may ask for, >= 1
 * @param maxParameters  most parameters a model may have, >= 1; bigger models are refused before they are received
 * @param maxLocalSteps  most local mini-batch steps a {@code local_steps} fit may ask for, >= 1
 * @param maxProxMu      largest FedProx proximal weight {@code prox_mu} a fit may carry, finite and >= 0; 0 refuses
 *                       every fit with a proximal term above 0
 * @param maxDittoLambda largest Ditto weight {@code personalization.lambda} a fit may carry, finite and >= 0; 0
 *                       refuses every Ditto fit
 * @param personalLayers whether a fit may ask the site to keep FedPer's personal layers ({@code personal_layers})
 */
public record AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                        long maxParameters, int maxLocalSteps, double maxProxMu, double maxDittoLambda,
                        boolean personalLayers) {

    /** Default task kinds: fit and evaluate. */
    public static final Set<TaskKind> DEFAULT_TASKS = Set.copyOf(EnumSet.allOf(TaskKind.class));
    /** Default most local epochs. */
    public static final int DEFAULT_MAX_LOCAL_EPOCHS = 100;
    /** Default most parameters. */
    public static final long DEFAULT_MAX_PARAMETERS = 10_000_000L;
    /** Default most local steps. */
    public static final int DEFAULT_MAX_LOCAL_STEPS = 10_000;
    /**
     * Default largest {@code prox_mu}: 1, the top of the range FedProx's authors searched (0.001 to 1). The proximal
     * term only pulls the local model toward the global model the site was sent; it reads no data, so the update
     * carries no more about the site's patients than a FedAvg update does, and a site need not opt in to it. A site
     * that wants none sets {@code max_prox_mu: 0}.
     */
    public static final double DEFAULT_MAX_PROX_MU = 1.0;
    /**
     * Default largest Ditto {@code lambda}: 2, the top of the range Ditto's authors tuned over. Ditto changes nothing
     * the site sends: its update is the plain local training of the global model, bit for bit, and the personal model
     * it trains beside it never leaves the site; lambda only sets how close that personal model stays to the global
     * one. What a site pays is a second training pass per fit (twice the local compute), so it need not opt in. A site
     * that wants none sets {@code max_ditto_lambda: 0}.
     */
    public static final double DEFAULT_MAX_DITTO_LAMBDA = 2.0;
    /**
     * By default a site may keep FedPer's personal layers: its update then carries the received global model's values
     * for them, so the server learns less about the site than from a FedAvg update, and the kept layers stay at the
     * site. A site that wants none sets {@code personal_layers: false}.
     */
    public static final boolean DEFAULT_PERSONAL_LAYERS = true;

    public AllowList {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("allow.tasks must list at least one of fit, evaluate");
        }
        if (strategies == null || strategies.isEmpty()) {
            throw new IllegalArgumentException("allow.strategies must list at least one strategy");
        }
        for (String s : strategies) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("allow.strategies must not hold a blank strategy");
            }
        }
        if (modelSpecs == null || modelSpecs.isEmpty()) {
            throw new IllegalArgumentException("allow.model_specs must list at least one model spec");
        }
        if (maxLocalEpochs < 1) {
            throw new IllegalArgumentException("allow.max_local_epochs must be >= 1, got " + maxLocalEpochs);
        }
        if (maxParameters < 1) {
            throw new IllegalArgumentException("allow.max_parameters must be >= 1, got " + maxParameters);
        }
        if (maxLocalSteps < 1) {
            throw new IllegalArgumentException("allow.max_local_steps must be >= 1, got " + maxLocalSteps);
        }
        if (!(maxProxMu >= 0) || !Double.isFinite(maxProxMu)) {
            throw new IllegalArgumentException("allow.max_prox_mu must be a finite number >= 0, got " + maxProxMu);
        }
        if (!(maxDittoLambda >= 0) || !Double.isFinite(maxDittoLambda)) {
            throw new IllegalArgumentException("allow.max_ditto_lambda must be a finite number >= 0, got "
                    + maxDittoLambda);
        }
        tasks = Set.copyOf(tasks);
        strategies = List.copyOf(strategies);
        modelSpecs = List.copyOf(modelSpecs);
    }

    /** An allow-list with the default personalization caps. */
    public AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                     long maxParameters, int maxLocalSteps, double maxProxMu) {
        this(tasks, strategies, modelSpecs, maxLocalEpochs, maxParameters, maxLocalSteps, maxProxMu,
                DEFAULT_MAX_DITTO_LAMBDA, DEFAULT_PERSONAL_LAYERS);
    }

    /** An allow-list with the default largest {@code prox_mu} and personalization caps. */
    public AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                     long maxParameters, int maxLocalSteps) {
        this(tasks, strategies, modelSpecs, maxLocalEpochs, maxParameters, maxLocalSteps, DEFAULT_MAX_PROX_MU);
    }

    /** An allow-list with the default most local steps and largest {@code prox_mu}. */
    public AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                     long maxParameters) {
        this(tasks, strategies, modelSpecs, maxLocalEpochs, maxParameters, DEFAULT_MAX_LOCAL_STEPS);
    }

    /** The allowed task kinds in wire spelling ({@code fit}, {@code evaluate}), in a fixed order. */
    public List<String> taskNames() {
        return tasks.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    }
}
