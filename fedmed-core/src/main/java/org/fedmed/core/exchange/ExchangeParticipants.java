package org.fedmed.core.exchange;

import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;

/**
 * How a site builds its participant for a fit whose update it keeps ({@link org.fedmed.core.UpdateRelease#SECURE_SUM}):
 * from the task and the update its own client (and its outbound filters, such as local noise) produced.
 */
@FunctionalInterface
public interface ExchangeParticipants {

    /** A site that takes part in no multi-exchange round: it refuses every fit that keeps its update. */
    ExchangeParticipants NONE = (task, update) -> {
        throw new IllegalStateException("site '" + task.siteId() + "' cannot keep its update for a secure sum: it was"
                + " started without a secure-aggregation client");
    };

    /**
     * The participant that answers the exchange about {@code update}.
     *
     * @throws IllegalStateException if this site takes part in no such round
     */
    ExchangeParticipant open(FitTask task, FitResult update);
}
