package org.fedmed.core;

/**
 * Work the coordinator asks of one site in one round. The set of kinds is closed: a site can be asked to
 * fit or to evaluate, with parameters and a typed config, and nothing else; there is no task that carries code.
 */
public sealed interface Task permits FitTask, EvalTask {
    /** Round number, starting at 1. */
    int round();

    /** The site the task is addressed to. */
    String siteId();

    /** The global model the task starts from. */
    ModelParameters global();

    /** A stable identifier, {@code r<round>-<kind>-<site>}, that a result must echo. */
    default String taskId() {
        return TaskId.of(this).toString();
    }
}
