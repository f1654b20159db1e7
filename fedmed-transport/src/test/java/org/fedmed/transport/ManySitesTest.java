package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.transport.bench.LoadHarness;
import org.fedmed.transport.server.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many sites on their own mutual-TLS connections for three FedAvg rounds: every connection is held, and the
 * aggregate equals the sample-weighted mean of what the sites sent, so no update was lost or counted twice.
 * ({@link LoadHarness#main} runs the same with 1000 sites as a benchmark.)
 */
@Timeout(180)
class ManySitesTest {

    static final int SITES = Integer.getInteger("fedmed.loadSites", 200);

    @Test
    void everyUpdateFromEverySiteIsCountedOnceInEveryRound() throws Exception {
        LoadHarness.Report r = LoadHarness.run(SITES, 3, 16);
        assertEquals(List.of(SITES, SITES, SITES), r.delivered());
        assertEquals(3, r.maxErrorPerRound().size());
        for (double e : r.maxErrorPerRound()) {
            // One site lost moves the mean by at least ~1e-3 relative; float rounding stays below 1e-5.
            assertTrue(e < 1e-5, "aggregate off by " + e + " relative: " + r);
        }
        assertEquals(SITES, r.connectedAtEnd());
        assertEquals(0, r.reconnects(), "no connection dropped");
        assertEquals(0, r.resultBytesHeldAtEnd());
    }

    @Test
    void uploadsBeyondTheResultBufferBudgetWaitTheirTurnAndAllArrive() throws Exception {
        int params = 250_000;
        ServerSettings oneAtATime = ServerSettings.defaults().withResultBufferBytes(4L * params);
        LoadHarness.Report r = LoadHarness.run(12, 2, params, oneAtATime);
        assertEquals(List.of(12, 12), r.delivered());
        for (double e : r.maxErrorPerRound()) {
            assertTrue(e < 1e-5, "aggregate off by " + e + " relative: " + r);
        }
        assertEquals(0, r.resultBytesHeldAtEnd(), "every reservation was given back");
    }
}
