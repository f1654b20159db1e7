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
 * steps at most {@code maxLocalSteps}) and its model has at most {@code maxParameters} parameters; everything else is
 * refused.
 *
 * @param tasks          task kinds the site accepts; non-empty
 * @param strategies     strategy labels the site accepts (for example {@code fedavg}); non-empty
 * @param modelSpecs     model specs the site agrees to train; non-empty
 * @param maxLocalEpochs most local epochs a fit may ask for, >= 1
 * @param maxParameters  most parameters a model may have, >= 1; bigger models are refused before they are received
 * @param maxLocalSteps  most local mini-batch steps a {@code local_steps} fit may ask for, >= 1
 */
public record AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                        long maxParameters, int maxLocalSteps) {

    /** Default task kinds: fit and evaluate. */
    public static final Set<TaskKind> DEFAULT_TASKS = Set.copyOf(EnumSet.allOf(TaskKind.class));
    /** Default most local epochs. */
    public static final int DEFAULT_MAX_LOCAL_EPOCHS = 100;
    /** Default most parameters. */
    public static final long DEFAULT_MAX_PARAMETERS = 10_000_000L;
    /** Default most local steps. */
    public static final int DEFAULT_MAX_LOCAL_STEPS = 10_000;

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
        tasks = Set.copyOf(tasks);
        strategies = List.copyOf(strategies);
        modelSpecs = List.copyOf(modelSpecs);
    }

    /** An allow-list with the default most local steps. */
    public AllowList(Set<TaskKind> tasks, List<String> strategies, List<ModelSpec> modelSpecs, int maxLocalEpochs,
                     long maxParameters) {
        this(tasks, strategies, modelSpecs, maxLocalEpochs, maxParameters, DEFAULT_MAX_LOCAL_STEPS);
    }

    /** The allowed task kinds in wire spelling ({@code fit}, {@code evaluate}), in a fixed order. */
    public List<String> taskNames() {
        return tasks.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT)).toList();
    }
}
