package org.fedmed.transport.site;

import org.fedmed.core.FitConfig;
import org.fedmed.core.ParameterLayout;
import org.fedmed.transport.TaskKind;

/**
 * What the server asks of a site, as a {@link TaskPolicy} sees it before any of the model is received: the kind
 * of task, its round, the model's layout and size, the federation's strategy and model spec labels, and for a fit
 * the training settings.
 *
 * @param fitConfig the training settings of a {@link TaskKind#FIT} task; null for {@link TaskKind#EVALUATE}
 */
public record TaskOffer(String taskId, TaskKind kind, int round, ParameterLayout layout, long modelBytes,
                        String strategy, String modelSpec, FitConfig fitConfig) {
    public TaskOffer {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("task_id must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("task '" + taskId + "': kind is required");
        }
        if (kind == TaskKind.FIT && fitConfig == null) {
            throw new IllegalArgumentException("task '" + taskId + "': a fit task needs fit settings");
        }
    }
}
