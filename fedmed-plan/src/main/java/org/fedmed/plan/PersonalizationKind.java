package org.fedmed.plan;

/** How each site gets a model of its own next to the federation's global one ({@code personalization.kind}). */
public enum PersonalizationKind {
    /** Each site fine-tunes the final global model on its own training rows after the federated run. */
    FINETUNE,
    /** FedPer: a shared body trained by the federation, and personal layers (the head) kept at each site. */
    FEDPER,
    /** Ditto: a personal model per site, trained alongside the global one and pulled toward it with weight lambda. */
    DITTO
}
