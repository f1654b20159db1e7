package org.fedmed.transport.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedmed.core.engine.SiteTraffic;
import org.junit.jupiter.api.Test;

/** Every byte counted is reported by exactly one take, however the takes fall among concurrent counts. */
class TrafficCountsTest {

    @Test
    void takesWhileStreamsCountReportEveryByteExactlyOnce() throws Exception {
        TrafficCounts counts = new TrafficCounts();
        int threads = 4;
        int each = 20_000;
        List<Thread> streams = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String site = "site-" + (t % 2);
            long size = t + 1;
            streams.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    counts.sent(site, size);
                    counts.received(site, 2 * size);
                }
            }));
        }
        AtomicBoolean done = new AtomicBoolean();
        long[] sent = new long[2];
        long[] received = new long[2];
        Thread taker = Thread.ofPlatform().start(() -> {
            while (true) {
                boolean last = done.get();
                for (Map.Entry<String, SiteTraffic> e : counts.take().entrySet()) {
                    int s = e.getKey().equals("site-0") ? 0 : 1;
                    sent[s] += e.getValue().bytesSent();
                    received[s] += e.getValue().bytesReceived();
                }
                if (last) {
                    return;
                }
            }
        });
        for (Thread s : streams) {
            s.join();
        }
        done.set(true);
        taker.join();
        // site-0 is counted by the threads of sizes 1 and 3, site-1 by those of sizes 2 and 4
        assertEquals(4L * each, sent[0]);
        assertEquals(6L * each, sent[1]);
        assertEquals(8L * each, received[0]);
        assertEquals(12L * each, received[1]);
        assertEquals(Map.of(), counts.take(), "nothing is left once everything was taken");
    }
}
