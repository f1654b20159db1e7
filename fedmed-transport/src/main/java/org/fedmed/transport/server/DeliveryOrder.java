package org.fedmed.transport.server;

/** In which order a {@link GrpcSitePool} hands a round's outcomes to the round engine. */
public enum DeliveryOrder {
    /**
     * As they arrive. Each result reaches the aggregator as soon as it is complete, and incoming results are held
     * within the pool's result buffer budget. The aggregate equals the task-order one up to float rounding.
     */
    ARRIVAL,
    /**
     * In task order, as the in-process pool does, so that a deployment reproduces a simulation bit for bit. A
     * result that arrives early waits for those before it, so up to every result of a round may be held at once:
     * the result buffer budget does not apply.
     */
    TASK_ORDER
}
