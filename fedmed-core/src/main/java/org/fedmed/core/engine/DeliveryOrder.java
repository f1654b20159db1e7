package org.fedmed.core.engine;

/**
 * In which order a {@link SitePool} hands a round's outcomes to the round engine ({@link DeliveryLoop}). The
 * in-process pool always reports in task order; a deployment's pool reports in the order its server is configured
 * with.
 */
public enum DeliveryOrder {
    /**
     * As they arrive. Each result reaches the aggregator as soon as it is complete, and a deployment's pool holds
     * incoming results within its result buffer budget. The aggregate equals the task-order one up to float
     * rounding.
     */
    ARRIVAL,
    /**
     * In task order, as the in-process pool does, so that a deployment reproduces a simulation bit for bit. A
     * result that arrives early waits for those before it, so up to every result of a round may be held at once:
     * a deployment's result buffer budget does not apply.
     */
    TASK_ORDER
}
