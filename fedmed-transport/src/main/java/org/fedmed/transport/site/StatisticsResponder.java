package org.fedmed.transport.site;

import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;

/**
 * How a site answers the statistics exchange before round 1. A request names statistics from a closed set
 * ({@code StatisticKind}) and carries no code; the responder computes them over the site's own training rows, or
 * refuses. Then the server sends the statistics merged over the sites, from which the site builds its
 * preprocessing. Both calls run on the connection's worker, one at a time, and each is recorded in the site's audit
 * log by the connection. Implementations must never put rows in a reply.
 */
public interface StatisticsResponder {

    /** Refuses every request and ignores merged statistics: a site that takes no part in the exchange. */
    StatisticsResponder NONE = new StatisticsResponder() {
        @Override
        public StatsReply answer(StatsRequest request) throws Refused {
            throw new Refused("this site answers no statistics requests");
        }

        @Override
        public void merged(MergedStats merged) {
        }
    };

    /**
     * The site's summaries for {@code request}.
     *
     * @throws Refused with the reason sent to the server (for example, fewer training rows than the site's min_rows)
     */
    StatsReply answer(StatsRequest request) throws Refused;

    /** Takes the merged statistics; an exception is logged and audited, and the site stays connected. */
    void merged(MergedStats merged);

    /** The site's reason for not answering a statistics request. */
    final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }
}
