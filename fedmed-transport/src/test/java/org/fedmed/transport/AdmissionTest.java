package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.support.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who gets in: mutual TLS, the peer authorizer, the claimed site id, the protocol version, one stream per site. */
@Timeout(60)
class AdmissionTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static TestFederation federation() throws Exception {
        return new TestFederation(ServerSettings.defaults(), new CommonNameAuthorizer(Set.of("a", "b")));
    }

    @Test
    void siteWithoutACertificateFailsTheHandshakeAndNeverJoins() throws Exception {
        try (TestFederation f = federation()) {
            ManagedChannel ch = f.channel(TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(TestFederation.PKI.caPem())).build());
            SiteConnection site = f.join(new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog(),
                    TestFederation.siteSettings("a"), ch);
            assertFalse(site.awaitConnected(Duration.ofSeconds(2)));
            assertTrue(Eventually.holds(() -> site.lastError().isPresent(), WAIT));
            assertTrue(site.lastError().get().startsWith("UNAVAILABLE"), site.lastError().get());
            assertEquals(List.of(), f.pool().availableSites());
        }
    }

    @Test
    void certificateFromAnotherCaFailsTheHandshake() throws Exception {
        TestPki rogue = TestPki.create("rogue-ca");
        try (TestFederation f = federation()) {
            TestPki.Credential forged = rogue.site("a");
            ManagedChannel ch = f.channel(TlsChannelCredentials.newBuilder()
                    .keyManager(new ByteArrayInputStream(forged.certPem()), new ByteArrayInputStream(forged.keyPem()))
                    .trustManager(new ByteArrayInputStream(TestFederation.PKI.caPem())).build());
            SiteConnection site = f.join(new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog(),
                    TestFederation.siteSettings("a"), ch);
            assertFalse(site.awaitConnected(Duration.ofSeconds(2)));
            assertTrue(Eventually.holds(() -> site.lastError().isPresent(), WAIT));
            assertTrue(site.lastError().get().startsWith("UNAVAILABLE"), site.lastError().get());
            assertTrue(site.refusal().isEmpty(), "refused at the handshake, before any Hello is read");
            assertEquals(List.of(), f.pool().availableSites());
        }
    }

    @Test
    void siteTheAuthorizerRefusesIsToldWhyAndStopsDialing() throws Exception {
        try (TestFederation f = federation()) {
            SiteConnection site = f.join(new TargetSite("mallory", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertFalse(site.awaitConnected(WAIT));
            assertEquals(SiteConnection.State.REFUSED, site.state());
            String reason = site.refusal().orElseThrow();
            assertTrue(reason.contains("'mallory' is not a member of this federation"), reason);
            assertTrue(reason.contains("CN=mallory"), "names the certificate: " + reason);
            assertEquals(List.of(), f.pool().availableSites());
            Thread.sleep(300);
            assertEquals(SiteConnection.State.REFUSED, site.state(), "a refused site does not redial");
        }
    }

    @Test
    void helloClaimingAnotherSitesIdIsRefused() throws Exception {
        try (TestFederation f = federation()) {
            ManagedChannel asA = f.channelFor("a");
            SiteConnection site = f.join(new TargetSite("b", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog(),
                    TestFederation.siteSettings("b"), asA);
            assertFalse(site.awaitConnected(WAIT));
            assertEquals("Hello claims site id 'b' but the certificate identifies site 'a'", site.refusal().orElseThrow());
            assertEquals(List.of(), f.pool().availableSites());
        }
    }

    @Test
    void helloWithAnUnsupportedProtocolVersionIsRefused() throws Exception {
        try (TestFederation f = federation(); RawSite raw = new RawSite(f.channelFor("a"))) {
            raw.hello("a", 99);
            ServerMessage m = raw.await(ServerMessage::hasRefusal, WAIT);
            assertNotNull(m);
            assertTrue(m.getRefusal().getReason().contains("speaks protocol version 99 but this build speaks version 5"), m.getRefusal().getReason());
            assertEquals(null, raw.awaitEnd(WAIT), "the server ends the stream after a refusal");
        }
    }

    @Test
    void messageBeforeHelloIsRefused() throws Exception {
        try (TestFederation f = federation(); RawSite raw = new RawSite(f.channelFor("a"))) {
            raw.send(org.fedmed.transport.proto.SiteMessage.newBuilder()
                    .setHeartbeat(org.fedmed.transport.proto.Heartbeat.getDefaultInstance()).build());
            ServerMessage m = raw.await(ServerMessage::hasRefusal, WAIT);
            assertNotNull(m);
            assertTrue(m.getRefusal().getReason().contains("first message must be Hello"), m.getRefusal().getReason());
        }
    }

    @Test
    void reconnectFromTheSameSiteReplacesTheOldStream() throws Exception {
        try (TestFederation f = federation(); RawSite first = new RawSite(f.channelFor("a"));
             RawSite second = new RawSite(f.channelFor("a"))) {
            first.hello("a");
            assertNotNull(first.await(ServerMessage::hasWelcome, WAIT));
            second.hello("a");
            assertNotNull(second.await(ServerMessage::hasWelcome, WAIT));
            Throwable end = first.awaitEnd(WAIT);
            assertEquals(Status.Code.ABORTED, Status.fromThrowable(end).getCode());
            assertTrue(Status.fromThrowable(end).getDescription().contains("replaced by a newer connection"));
            assertEquals(List.of("a"), f.pool().availableSites());
            assertFalse(second.isEnded());
        }
    }

    @Test
    void admittedSiteIsWelcomedWithTheServersLimits() throws Exception {
        try (TestFederation f = federation(); RawSite raw = new RawSite(f.channelFor("b"))) {
            raw.hello("b");
            ServerMessage m = raw.await(ServerMessage::hasWelcome, WAIT);
            assertNotNull(m);
            assertEquals("b", m.getWelcome().getSiteId());
            assertEquals(WireLimits.defaults().maxModelBytes(), m.getWelcome().getMaxModelBytes());
            assertEquals(WireLimits.defaults().chunkBytes(), m.getWelcome().getChunkBytes());
            assertTrue(f.pool().awaitSites(1, WAIT));
        }
    }
}
