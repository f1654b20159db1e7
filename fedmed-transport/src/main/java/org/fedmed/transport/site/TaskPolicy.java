package org.fedmed.transport.site;

/**
 * A site's data-governance allow-list: which tasks it accepts (task kinds, model layouts and specs, strategies,
 * training settings). The site asks it about every task before receiving the model; a refused task is answered
 * with its reason and never runs. Implementations must be thread-safe and quick; an exception counts as a refusal.
 */
@FunctionalInterface
public interface TaskPolicy {

    PolicyDecision review(TaskOffer offer);
}
