package org.fedmed.transport.site;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.UpdateRelease;
import org.fedmed.transport.TaskKind;

/**
 * What the server asks of a site, as a {@link TaskPolicy} sees it before any of the model is received: the kind
 * of task, its round, the model's layout and size, the federation's strategy and model spec labels, and for a fit
 * the training settings and the names of the auxiliary vectors that come with the model ({@code scaffold.c}).
 *
 * @param modelBytes the payload's bytes: the model's, times one plus the number of auxiliary vectors
 * @param fitConfig  the training settings of a {@link TaskKind#FIT} task; for {@link TaskKind#EVALUATE}, the
 *                   fine-tuning settings of an evaluation that asks the site to fine-tune first, else null
 * @param auxiliary  the auxiliary vectors' names, in payload order; empty for most fits and every evaluation
 * @param run        the run the task belongs to, as the server names it; empty when it names none
 * @param release    for a fit, whether the site sends its update or keeps it for a secure sum; CLEAR otherwise
 */
public record TaskOffer(String taskId, TaskKind kind, int round, ParameterLayout layout, long modelBytes,
                        String strategy, String modelSpec, FitConfig fitConfig, List<String> auxiliary, String run,
                        UpdateRelease release) {
    public TaskOffer {
        release = release == null ? UpdateRelease.CLEAR : release;
        auxiliary = List.copyOf(auxiliary);
        run = run == null ? "" : run;
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("task_id must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("task '" + taskId + "': kind is required");
        }
        if (kind == TaskKind.FIT && fitConfig == null) {
            throw new IllegalArgumentException("task '" + taskId + "': a fit task needs fit settings");
        }
        if (kind == TaskKind.EVALUATE && !auxiliary.isEmpty()) {
            throw new IllegalArgumentException("task '" + taskId + "': an evaluation carries no auxiliary vector, got "
                    + auxiliary);
        }
    }

    /** An offer whose update, if it is a fit, is sent in the clear. */
    public TaskOffer(String taskId, TaskKind kind, int round, ParameterLayout layout, long modelBytes,
                     String strategy, String modelSpec, FitConfig fitConfig, List<String> auxiliary, String run) {
        this(taskId, kind, round, layout, modelBytes, strategy, modelSpec, fitConfig, auxiliary, run,
                UpdateRelease.CLEAR);
    }

    /** An offer of a server that names no run. */
    public TaskOffer(String taskId, TaskKind kind, int round, ParameterLayout layout, long modelBytes,
                     String strategy, String modelSpec, FitConfig fitConfig, List<String> auxiliary) {
        this(taskId, kind, round, layout, modelBytes, strategy, modelSpec, fitConfig, auxiliary, "");
    }

    /** An offer without auxiliary vectors. */
    public TaskOffer(String taskId, TaskKind kind, int round, ParameterLayout layout, long modelBytes,
                     String strategy, String modelSpec, FitConfig fitConfig) {
        this(taskId, kind, round, layout, modelBytes, strategy, modelSpec, fitConfig, List.of(), "");
    }
}
