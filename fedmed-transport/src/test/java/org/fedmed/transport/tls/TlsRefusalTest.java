package org.fedmed.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.RecordingEvents;
import org.fedmed.transport.support.RecordingEvents.Event;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.support.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every connection the server's TLS refuses is reported once, with the peer's address and the reason TLS gave,
 * and none of them reaches the service. Each case dials once, over a raw TLS socket on 127.0.0.1, so the one
 * report can be matched to its connection by the client's port; the client presents its certificate whatever CA
 * the server asks for, as a hostile peer would.
 */
@Timeout(60)
class TlsRefusalTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void peerWithoutACertificateIsRefusedAndReportedWithItsAddress() throws Exception {
        assertRefusedOnce(null, "no client certificate was presented");
    }

    @Test
    void certificateFromAnotherCaIsRefusedAndReportedWithItsAddress() throws Exception {
        assertRefusedOnce(TestPki.create("another-federation-ca").site("a"),
                "the client certificate was not issued by the federation CA");
    }

    @Test
    void expiredCertificateIsRefusedAndReportedWithItsAddress() throws Exception {
        Instant now = Instant.now();
        assertRefusedOnce(TestFederation.PKI.site("a", now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS)),
                "the client certificate has expired");
    }

    @Test
    void memberCertificateCompletesTheHandshakeAndIsNotReported() throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), new CommonNameAuthorizer(Set.of("a")), events)) {
            int port = dial(f.port(), f.credential("a"));
            Thread.sleep(300);
            assertEquals(List.of(), events.named("handshakeRefused"), "client port " + port);
        }
    }

    private static void assertRefusedOnce(TestPki.Credential presented, String expectedReason) throws Exception {
        RecordingEvents events = new RecordingEvents();
        try (TestFederation f = new TestFederation(ServerSettings.defaults(), new CommonNameAuthorizer(Set.of("a")), events)) {
            int clientPort = dial(f.port(), presented);
            String peer = "/127.0.0.1:" + clientPort;
            Event refused = events.await(e -> e.name().equals("handshakeRefused") && e.peer().equals(peer), WAIT)
                    .orElseThrow(() -> new AssertionError("no handshakeRefused for " + peer + ": " + events.events()));
            assertTrue(refused.reason().startsWith(expectedReason), refused.reason());
            Thread.sleep(300);
            assertEquals(List.of(refused), events.events(), "one report, and no call reached the service");
            assertEquals(List.of(), f.pool().availableSites());
        }
    }

    /**
     * Opens one TLS connection to the server, presenting {@code credential} (none if null), and reads until the
     * server ends it or says something; returns the client's local port.
     */
    private static int dial(int serverPort, TestPki.Credential credential) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(TestFederation.PKI.caPem())));
        trust.init(anchors);
        tls.init(credential == null ? new KeyManager[0] : new KeyManager[]{new AlwaysPresent(credential)},
                trust.getTrustManagers(), null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", serverPort), 5000);
            int port = plain.getLocalPort();
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", serverPort, true)) {
                socket.setSoTimeout(5000);
                socket.setEnabledProtocols(new String[]{"TLSv1.3"});
                socket.startHandshake();
                socket.getInputStream().read();
            } catch (SSLException | java.net.SocketException expected) {
                // the server ended the handshake, or the connection after it
            }
            return port;
        }
    }

    /** Presents its one certificate whatever issuers the server names. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {

        private final X509Certificate certificate;
        private final PrivateKey key;

        AlwaysPresent(TestPki.Credential c) throws Exception {
            this.certificate = c.certificate();
            String pem = new String(c.keyPem(), java.nio.charset.StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            this.key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "site";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "site";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[]{certificate};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{"site"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }
    }
}
