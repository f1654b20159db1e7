package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool says when it last heard from each connected site, heartbeats included. */
@Timeout(60)
class LastHeardTest {

    @Test
    void anIdleSitesLastContactMovesWithItsHeartbeatsAndEndsWhenItLeaves() throws Exception {
        ServerSettings settings = ServerSettings.defaults()
                .withHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(10));
        try (TestFederation f = new TestFederation(settings, new CommonNameAuthorizer(Set.of("a", "b")))) {
            SiteConnection a = f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(1, Duration.ofSeconds(10)));
            Instant joined = f.pool().lastHeard().get("a");
            assertEquals(Set.of("a"), f.pool().lastHeard().keySet(), "b never connected");

            // no task in flight: only heartbeats can move it
            assertTrue(Eventually.holds(() -> f.pool().lastHeard().get("a").isAfter(joined.plusMillis(500)),
                    Duration.ofSeconds(10)), "heartbeats every 100 ms: joined " + joined + ", last heard "
                    + f.pool().lastHeard().get("a"));
            Instant later = f.pool().lastHeard().get("a");
            assertTrue(!later.isAfter(Instant.now()), "not in the future: " + later);

            a.close();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!f.pool().lastHeard().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(Set.of(), f.pool().lastHeard().keySet(), "a site that left is not listed");
        }
    }
}
