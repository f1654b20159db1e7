package org.fedmed.secagg.exchange;

import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.secagg.RandomnessSource;

/**
 * A site's secure-sum participants: for each fit that keeps its update, a {@link SecureSumParticipant} holding the
 * update's delta from the task's global model (a site that trained full weights is converted, as the in-process sum
 * does). In deployment each site uses {@link RandomnessSource#system()}.
 */
public final class SecureSumParticipants implements ExchangeParticipants {

    private final RandomnessSource randomness;

    public SecureSumParticipants(RandomnessSource randomness) {
        this.randomness = randomness;
    }

    @Override
    public ExchangeParticipant open(FitTask task, FitResult update) {
        if (!update.parameters().layout().equals(task.global().layout())) {
            throw new IllegalStateException("site '" + task.siteId() + "': its update's layout "
                    + update.parameters().layout().entries() + " does not match the task's global model "
                    + task.global().layout().entries());
        }
        return new SecureSumParticipant(task.siteId(), UpdateFilter.deltaOf(update, task.global()), randomness);
    }
}
