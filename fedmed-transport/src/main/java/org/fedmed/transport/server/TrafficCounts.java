package org.fedmed.transport.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedmed.core.engine.SiteTraffic;

/**
 * The bytes sent to and received from each admitted site, counted as the serialized size of every protocol message
 * on its stream (what gRPC is handed to send, what it delivered), across reconnects. {@link #take} reads and resets
 * each count atomically, so every byte counted is reported by exactly one take. Thread-safe; counting is one atomic
 * add, cheap enough for a stream thread.
 */
final class TrafficCounts {

    private record Counts(AtomicLong sent, AtomicLong received) {
    }

    private final Map<String, Counts> bySite = new ConcurrentHashMap<>();

    private Counts of(String siteId) {
        return bySite.computeIfAbsent(siteId, s -> new Counts(new AtomicLong(), new AtomicLong()));
    }

    void sent(String siteId, long bytes) {
        of(siteId).sent().addAndGet(bytes);
    }

    void received(String siteId, long bytes) {
        of(siteId).received().addAndGet(bytes);
    }

    /** Each site's bytes since the previous take, in site order; sites that moved nothing are left out. */
    Map<String, SiteTraffic> take() {
        Map<String, SiteTraffic> out = new TreeMap<>();
        bySite.forEach((site, c) -> {
            SiteTraffic t = new SiteTraffic(c.sent().getAndSet(0), c.received().getAndSet(0));
            if (!t.equals(SiteTraffic.NONE)) {
                out.put(site, t);
            }
        });
        return out;
    }
}
