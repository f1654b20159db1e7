package org.fedmed.core.exchange;

import java.time.Duration;
import java.util.List;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;

/**
 * Carries one stage of a multi-exchange round: each message to its site, and each site's answer back. Implemented
 * by the site pools (in process, and over the wire), so the coordinator's side of a protocol runs unchanged in
 * simulation and deployment.
 */
@FunctionalInterface
public interface SiteExchange {

    /** A pool that carries no multi-exchange round: every message fails, naming why. */
    SiteExchange NONE = (messages, deadline, sink) -> {
        for (ExchangeMessage m : messages) {
            sink.failure(new SiteFailure(0, m.siteId(), SiteFailure.Kind.ERROR,
                    "this site pool carries no multi-exchange rounds (stage " + m.stage() + ")"));
        }
    };

    /**
     * Sends each message to its site and reports every site's answer to {@code sink} as it arrives, before
     * returning: a {@code success} with the site's reply (same site, task and stage), or a {@code failure} when the
     * site refused, failed, disconnected, or had not answered within {@code deadline}
     * ({@link SiteFailure.Kind#TIMEOUT}); the failure's round is 0. Exactly one outcome per message, and calls to the
     * sink are never concurrent. At most one message per site.
     */
    void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink);
}
