package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationEvents;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.TaskPolicy;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.RecordingEvents;
import org.fedmed.transport.support.RecordingEvents.Event;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server reports who joined, what it sent, what came back and what it refused, to its audit listener. */
@Timeout(60)
class FederationEventsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final CommonNameAuthorizer MEMBERS = new CommonNameAuthorizer(Set.of("a", "b", "c"));

    static ModelParameters zero() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2, 2}, new float[4]), new Tensor("b", new int[]{2}, new float[2])));
    }

    static RunResult oneRound(TestFederation f) {
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(2),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 3).withRoundDeadline(Duration.ofSeconds(20));
        return new RoundEngine(fedavg, f.pool(), cfg, null).run(zero());
    }

    static String subject(TestFederation f, String siteId) {
        return f.credential(siteId).certificate().getSubjectX500Principal().getName();
    }

    @Test
    void siteJoiningAndLeavingIsReportedWithItsIdAndAddress() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events)) {
            SiteConnection a = f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            Event joined = events.await(e -> e.name().equals("siteJoined"), WAIT).orElseThrow();
            assertEquals("a", joined.siteId());
            assertTrue(joined.peer().contains("127.0.0.1"), joined.peer());
            a.close();
            Event left = events.await(e -> e.name().equals("siteLeft"), WAIT).orElseThrow();
            assertEquals("a", left.siteId());
            assertEquals("the site closed its stream", left.reason());
            assertEquals(List.of("siteJoined", "siteLeft"), events.events().stream().map(Event::name).toList());
        }
    }

    @Test
    void reconnectReportsTheOldStreamLeavingBeforeTheNewOneJoins() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events);
             RawSite first = new RawSite(f.channelFor("a")); RawSite second = new RawSite(f.channelFor("a"))) {
            first.hello("a");
            assertNotNull(first.await(ServerMessage::hasWelcome, WAIT));
            second.hello("a");
            assertNotNull(second.await(ServerMessage::hasWelcome, WAIT));
            events.await(e -> events.named("siteJoined").size() == 2, WAIT).orElseThrow();
            assertEquals(List.of("siteJoined", "siteLeft", "siteJoined"), events.events().stream().map(Event::name).toList());
            assertEquals("replaced by a newer connection from the same site", events.named("siteLeft").getFirst().reason());
        }
    }

    @Test
    void peerTheAuthorizerRefusesIsReportedWithItsSubjectAndTheReason() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events)) {
            f.join(new TargetSite("mallory", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            Event refused = events.await(e -> e.name().equals("peerRefused"), WAIT).orElseThrow();
            assertEquals(subject(f, "mallory"), refused.siteId());
            assertTrue(refused.peer().contains("127.0.0.1"), refused.peer());
            assertTrue(refused.reason().contains("'mallory' is not a member of this federation"), refused.reason());
            assertEquals(List.of(), events.named("siteJoined"));
        }
    }

    @Test
    void peerClaimingAnotherSitesIdOrProtocolVersionIsReportedAsRefused() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events);
             RawSite impostor = new RawSite(f.channelFor("a")); RawSite outdated = new RawSite(f.channelFor("b"))) {
            impostor.hello("c");
            assertNotNull(impostor.await(ServerMessage::hasRefusal, WAIT));
            outdated.hello("b", 99);
            assertNotNull(outdated.await(ServerMessage::hasRefusal, WAIT));
            events.await(e -> events.named("peerRefused").size() == 2, WAIT).orElseThrow();
            List<Event> refused = events.named("peerRefused");
            assertEquals(subject(f, "a"), refused.get(0).siteId());
            assertEquals("Hello claims site id 'c' but the certificate identifies site 'a'", refused.get(0).reason());
            assertEquals(subject(f, "b"), refused.get(1).siteId());
            assertTrue(refused.get(1).reason().contains("speaks protocol version 99 but this build speaks version 5"), refused.get(1).reason());
            assertEquals(List.of(), events.named("siteJoined"));
        }
    }

    @Test
    void roundReportsEachTaskSentAndEachResultReceivedWithTheBytesTheSiteSent() throws Exception {
        RecordingEvents events = new RecordingEvents();
        Map<String, RecordingAuditLog> audits = Map.of("a", new RecordingAuditLog(), "b", new RecordingAuditLog());
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events)) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, audits.get("a"));
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, audits.get("b"));
            assertTrue(f.pool().awaitSites(2, WAIT));
            assertTrue(oneRound(f).rounds().getFirst().completed());
            for (String site : List.of("a", "b")) {
                Event fit = events.only("taskSent", "r1-fit-" + site);
                assertEquals(site, fit.siteId());
                assertEquals("fit", fit.kind());
                assertEquals(1, fit.round());
                assertEquals(24, fit.bytes(), "six float32 parameters");
                assertEquals("evaluate", events.only("taskSent", "r1-eval-" + site).kind());
                Event received = events.only("resultReceived", "r1-fit-" + site);
                assertEquals(site, received.siteId());
                AuditEntry sent = audits.get(site).await(e -> e.taskId().equals("r1-fit-" + site)
                        && e.event() == AuditEntry.Event.SENT, WAIT).orElseThrow();
                assertTrue(received.bytes() > 24, "header and payload: " + received.bytes());
                assertEquals(sent.bytesSent(), received.bytes(), "the server counts what the site's audit log counts");
                events.only("resultReceived", "r1-eval-" + site);
                List<Event> all = events.events();
                assertTrue(all.indexOf(fit) < all.indexOf(received), "sent before received");
            }
            assertEquals(List.of(), events.named("updateRejected"));
            assertEquals(List.of(), events.named("taskDeclined"));
        }
    }

    @Test
    void taskThePolicyRefusesIsReportedAsDeclinedWithThePolicysReason() throws Exception {
        RecordingEvents events = new RecordingEvents();
        TaskPolicy onlyV1 = offer -> offer.modelSpec().equals("logreg-v1") ? PolicyDecision.accept()
                : PolicyDecision.refuse("model spec '" + offer.modelSpec() + "' is not on this site's allow-list");
        ServerSettings s = ServerSettings.defaults().withLabels("fedavg", "logreg-v2");
        try (TestFederation f = new TestFederation(s, MEMBERS, events)) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("c", 6, 20), onlyV1, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(3, WAIT));
            RoundRecord round = oneRound(f).rounds().getFirst();

            Event declined = events.only("taskDeclined", "r1-fit-c");
            assertEquals("c", declined.siteId());
            assertEquals("site 'c' refused task 'r1-fit-c': model spec 'logreg-v2' is not on this site's allow-list",
                    declined.reason());
            String engineReason = round.failures().stream().filter(x -> x.siteId().equals("c")).findFirst()
                    .orElseThrow().reason();
            assertEquals(engineReason, declined.reason(), "the run's round record and the audit trail agree");
            events.only("taskSent", "r1-fit-c");
            assertTrue(events.named("resultReceived").stream().noneMatch(e -> e.siteId().equals("c")));
        }
    }

    @Test
    void nanUpdateIsReportedAsRejectedAndNotAsReceived() throws Exception {
        RecordingEvents events = new RecordingEvents();
        TargetSite b = new TargetSite("b", 2, 10);
        b.misbehaviour = TargetSite.Misbehaviour.NAN;
        b.badRound = 1;
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, events)) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(b, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("c", 6, 20), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(3, WAIT));
            assertTrue(oneRound(f).rounds().getFirst().completed());

            Event rejected = events.only("updateRejected", "r1-fit-b");
            assertEquals("b", rejected.siteId());
            assertEquals("value NaN in tensor 'b' (flat index 5) is not finite", rejected.reason());
            assertEquals(List.of("r1-fit-a", "r1-fit-c"), events.named("resultReceived").stream().map(Event::taskId)
                    .filter(t -> t.contains("fit")).sorted().toList());
            assertEquals(1, events.named("updateRejected").size());
        }
    }

    @Test
    void listenerThatThrowsDoesNotBreakTheRound() throws Exception {
        ConcurrentMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        FederationEvents broken = new FederationEvents() {
            private void fail(String event) {
                calls.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
                throw new IllegalStateException("run store unavailable");
            }

            @Override
            public void siteJoined(String siteId, String peerAddress) {
                fail("siteJoined");
            }

            @Override
            public void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
                fail("taskSent");
            }

            @Override
            public void resultReceived(String siteId, String taskId, long bytes) {
                fail("resultReceived");
            }
        };
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), MEMBERS, broken)) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(2, WAIT));
            RunResult run = oneRound(f);
            RoundRecord round = run.rounds().getFirst();

            assertTrue(round.completed());
            assertEquals(List.of("a", "b"), round.succeeded().stream().sorted().toList());
            assertEquals(List.of(), round.failures());
            assertEquals(-1, run.finalModel().firstNonFinite());
            assertEquals(List.of("a", "b"), f.pool().availableSites(), "both sites stay connected");
            assertEquals(Map.of("siteJoined", 2, "taskSent", 4, "resultReceived", 4),
                    Map.of("siteJoined", calls.get("siteJoined").get(), "taskSent", calls.get("taskSent").get(),
                            "resultReceived", calls.get("resultReceived").get()), "every call was made, and threw");
        }
    }
}
