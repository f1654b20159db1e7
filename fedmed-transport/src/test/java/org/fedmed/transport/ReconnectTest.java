package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.Backoff;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a site gets back: each dial on a fresh channel, a dial that is not welcomed in time given up, a bound on the
 * time away that follows from the settings, and a run's end announced to the sites.
 */
@Timeout(60)
class ReconnectTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void defaultSettingsBoundTheTimeAwayAtThirtySeconds() {
        SiteSettings defaults = SiteSettings.of("a");
        assertEquals(Duration.ofSeconds(10), defaults.backoff().max());
        assertEquals(Duration.ofSeconds(10), defaults.dialTimeout());
        assertEquals(Duration.ofSeconds(30), defaults.reconnectBound());
        assertEquals(Duration.ofSeconds(7), defaults.withDialTimeout(Duration.ofSeconds(2))
                .withBackoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(3), 2)).reconnectBound());
    }

    @Test
    void everyDialOpensAFreshChannelAndShutsTheEndedOneDown() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            Supplier<ManagedChannel> dialer = SiteChannels.dialer("127.0.0.1", f.port(),
                    TestFederation.PKI.siteCredentials(f.credential("a")), TestFederation.limits());
            List<ManagedChannel> opened = new CopyOnWriteArrayList<>();
            try (SiteConnection site = SiteConnection.dialing(() -> {
                ManagedChannel ch = dialer.get();
                opened.add(ch);
                return ch;
            }, TestFederation.siteSettings("a"), new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL,
                    new RecordingAuditLog())) {
                site.start();
                for (int joins = 1; joins <= 3; joins++) {
                    int expected = joins;
                    assertTrue(Eventually.holds(() -> site.timesJoined() == expected
                            && site.state() == SiteConnection.State.CONNECTED, WAIT), "join " + joins);
                    if (joins < 3) {
                        site.dropConnection("network blip " + joins);
                    }
                }
                assertEquals(3, opened.size(), "one channel per dial");
                assertTrue(Eventually.holds(() -> opened.get(0).isShutdown() && opened.get(1).isShutdown(), WAIT));
                assertFalse(opened.get(2).isShutdown(), "the live dial's channel is open");
            }
            assertTrue(opened.get(2).isShutdown(), "closing the connection shuts its channel down");
        }
    }

    @Test
    void dialTheServerNeverAnswersIsGivenUpAtTheDialTimeoutAndRetried() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            SiteSettings settings = TestFederation.siteSettings("a").withDialTimeout(Duration.ofMillis(300));
            try (SiteConnection site = SiteConnection.dialing(SiteChannels.dialer("127.0.0.1", silent.getLocalPort(),
                    TestFederation.PKI.siteCredentials(TestFederation.PKI.site("a")), TestFederation.limits()),
                    settings, new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog())) {
                site.start();
                assertTrue(Eventually.holds(() -> accepted.size() >= 3, WAIT), "redials after each timeout: "
                        + accepted.size() + " connections");
                assertTrue(site.lastError().orElse("").contains("within the dial timeout of 300 ms"),
                        site.lastError().orElse("(none)"));
                assertEquals(0, site.timesJoined());
            } finally {
                silent.close();
                acceptor.join();
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void sitesAreToldTheRunEndedRecordItAndRedialForTheNextRun() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            RecordingAuditLog aAudit = new RecordingAuditLog();
            SiteConnection a = f.join(new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL, aAudit);
            SiteConnection b = f.join(new TargetSite("b", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(2, WAIT));
            assertEquals(0, a.runsEnded());

            assertEquals(2, f.server().endRun("run 'heart' completed 3 rounds"));

            assertTrue(Eventually.holds(() -> a.runsEnded() == 1 && b.runsEnded() == 1, WAIT));
            AuditEntry ended = aAudit.await(e -> e.event() == AuditEntry.Event.RUN_ENDED, WAIT).orElseThrow();
            assertEquals("run 'heart' completed 3 rounds", ended.reason());
            assertEquals("", ended.taskId());
            assertTrue(Eventually.holds(() -> a.timesJoined() == 2 && b.timesJoined() == 2, WAIT),
                    "sites that serve on redial and join again");
            assertEquals(1, a.runsEnded());
        }
    }
}
