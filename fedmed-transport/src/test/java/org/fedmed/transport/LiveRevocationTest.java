package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.PeerAuthorizer;
import org.fedmed.transport.server.PeerRefusedException;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.RecordingEvents;
import org.fedmed.transport.support.RecordingEvents.Event;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A site whose certificate is no longer admitted is cut while connected, as soon as the server re-checks its
 * admissions: its task in flight fails with the reason, it is told why and stops, and both ends record it.
 */
@Timeout(60)
class LiveRevocationTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    /** Members that a test can change, as a reloaded site list changes them. */
    static final class ChangingMembers implements PeerAuthorizer {
        final AtomicReference<CommonNameAuthorizer> current;

        ChangingMembers(Set<String> members) {
            current = new AtomicReference<>(new CommonNameAuthorizer(members));
        }

        @Override
        public String authorize(X509Certificate[] chain) throws PeerRefusedException {
            return current.get().authorize(chain);
        }
    }

    @Test
    void siteNoLongerAdmittedIsCutMidTaskToldWhyAndRecordedAtBothEnds() throws Exception {
        ChangingMembers members = new ChangingMembers(Set.of("a", "b", "c"));
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), members, events)) {
            TargetSite c = new TargetSite("c", 6, 20);
            c.misbehaviour = TargetSite.Misbehaviour.BLOCK;
            c.badRound = 2;
            RecordingAuditLog cAudit = new RecordingAuditLog();
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            SiteConnection cConn = f.join(c, TestFederation.ACCEPT_ALL, cAudit);
            assertTrue(f.pool().awaitSites(3, WAIT));
            assertEquals(List.of(), f.server().recheckAdmissions(), "nobody is cut while every site is admitted");

            List<String> cut = new ArrayList<>();
            Thread revoker = Thread.ofVirtual().start(() -> {
                try {
                    if (c.training.await(30, TimeUnit.SECONDS)) {
                        members.current.set(new CommonNameAuthorizer(Set.of("a", "b")));
                        cut.addAll(f.server().recheckAdmissions());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(2),
                    new FitConfig(1, 8, 0.1, false, 0), 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(3), 7).withRoundDeadline(Duration.ofSeconds(30));
            RunResult run = new RoundEngine(fedavg, f.pool(), cfg, null)
                    .run(ModelParameters.of(List.of(new Tensor("w", new int[]{4}, new float[4]))));
            revoker.join();

            assertEquals(List.of("c"), cut);
            RoundRecord round2 = run.rounds().get(1);
            assertTrue(round2.completed(), "the round goes on without the cut site");
            SiteFailure failure = round2.failures().stream().filter(x -> x.siteId().equals("c")).findFirst().orElseThrow();
            assertEquals(SiteFailure.Kind.ERROR, failure.kind());
            assertTrue(failure.reason().contains("is no longer admitted: site 'c' is not a member of this federation"),
                    failure.reason());
            assertEquals(List.of("a", "b"), run.rounds().get(2).succeeded().stream().sorted().toList());

            // the refusal is handled on the site's event loop, after it writes its audit entry
            assertTrue(Eventually.holds(() -> cConn.state() == SiteConnection.State.REFUSED, WAIT), "" + cConn.state());
            String refusal = cConn.refusal().orElseThrow();
            assertTrue(refusal.startsWith("certificate 'O=fedmed-test,CN=c' is no longer admitted: site 'c' is not a"
                    + " member"), refusal);
            assertTrue(cAudit.await(e -> e.taskId().equals("r2-fit-c") && e.event() == AuditEntry.Event.CANCELLED,
                    WAIT).isPresent(), "the task in flight is recorded as cut: " + cAudit.entries());
            AuditEntry refused = cAudit.await(e -> e.event() == AuditEntry.Event.REFUSED_BY_SERVER, WAIT).orElseThrow();
            assertEquals(refusal, refused.reason());

            Event withdrawn = events.await(e -> e.name().equals("admissionWithdrawn"), WAIT).orElseThrow();
            assertEquals("c", withdrawn.siteId());
            assertEquals(refusal, withdrawn.reason());
            assertTrue(withdrawn.peer().contains("127.0.0.1"), withdrawn.peer());
            List<String> cEvents = events.events().stream().filter(e -> e.siteId().equals("c")
                    && (e.name().equals("admissionWithdrawn") || e.name().equals("siteLeft"))).map(Event::name).toList();
            assertEquals(List.of("admissionWithdrawn", "siteLeft"), cEvents);
            Thread.sleep(300);
            assertEquals(SiteConnection.State.REFUSED, cConn.state(), "a cut site does not redial");
            assertEquals(1, cConn.timesJoined());
        }
    }
}
