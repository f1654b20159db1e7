package org.fedmed.transport;

/**
 * The only kinds of work a site can be asked to do over the wire: train its own configured model on its data,
 * or evaluate it. There is no kind that carries code, so a site never runs anything the server sends.
 */
public enum TaskKind {
    /** Train locally and send back weights or a delta. */
    FIT,
    /** Evaluate the global model on local held-out data and send back aggregate metrics. */
    EVALUATE
}
