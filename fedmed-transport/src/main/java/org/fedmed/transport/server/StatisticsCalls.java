package org.fedmed.transport.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.transport.proto.StatsReply;

/**
 * The statistics requests an admitted site has not answered yet. Each request's future completes exactly once: with
 * the site's reply, or with a {@link StatisticsRefusedException} when the site refuses it or the link ends first.
 * An answer to a request that is not open is ignored. Thread-safe.
 */
final class StatisticsCalls {

    private static final System.Logger LOG = System.getLogger(StatisticsCalls.class.getName());

    private final String siteId;
    private final FederationEvents events;
    private final Map<String, CompletableFuture<StatsReply>> waiting = new ConcurrentHashMap<>();

    StatisticsCalls(String siteId, FederationEvents events) {
        this.siteId = siteId;
        this.events = events;
    }

    /** Opens request {@code requestId}; the future completes when the site answers or the link ends. */
    CompletableFuture<StatsReply> open(String requestId) {
        CompletableFuture<StatsReply> answer = new CompletableFuture<>();
        waiting.put(requestId, answer);
        return answer;
    }

    /** The site sent {@code reply} ({@code bytes} long) for {@code requestId}. */
    void replied(String requestId, StatsReply reply, long bytes) {
        CompletableFuture<StatsReply> answer = take(requestId);
        if (answer != null) {
            events.statisticsReceived(siteId, requestId, bytes);
            answer.complete(reply);
        }
    }

    /** The site refused {@code requestId}, for {@code reason}. */
    void refused(String requestId, String reason) {
        CompletableFuture<StatsReply> answer = take(requestId);
        if (answer != null) {
            events.statisticsRefused(siteId, requestId, reason);
            answer.completeExceptionally(new StatisticsRefusedException("site '" + siteId + "' refused statistics"
                    + " request '" + requestId + "': " + reason));
        }
    }

    private CompletableFuture<StatsReply> take(String requestId) {
        CompletableFuture<StatsReply> answer = waiting.remove(requestId);
        if (answer == null) {
            LOG.log(System.Logger.Level.WARNING, "site ''{0}'' answered statistics request ''{1}'', which is not open;"
                    + " ignored", siteId, requestId);
        }
        return answer;
    }

    /** The link ended before the site answered: fails every open request, naming {@code reason}. */
    void failAll(String reason) {
        for (String requestId : List.copyOf(waiting.keySet())) {
            CompletableFuture<StatsReply> answer = waiting.remove(requestId);
            if (answer != null) {
                answer.completeExceptionally(new StatisticsRefusedException("site '" + siteId + "' disconnected before"
                        + " answering statistics request '" + requestId + "': " + reason));
            }
        }
    }
}
