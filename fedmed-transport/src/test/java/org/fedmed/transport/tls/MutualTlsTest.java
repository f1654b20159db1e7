package org.fedmed.transport.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.support.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MutualTlsTest {

    @Test
    void serverAndSiteCredentialsLoadFromPemFilesAndCompleteAHandshake(@TempDir Path dir) throws Exception {
        TestPki pki = TestFederation.PKI;
        Path serverDir = Files.createDirectory(dir.resolve("server"));
        Path siteDir = Files.createDirectory(dir.resolve("site"));
        pki.write(serverDir, "server", pki.server());
        pki.write(siteDir, "site-a", pki.site("a"));
        try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverDir.resolve("ca.pem"), serverDir.resolve("server.pem"), serverDir.resolve("server.key")),
                new CommonNameAuthorizer(Set.of("a")), ServerSettings.defaults())) {
            ManagedChannel ch = SiteChannels.open("localhost", server.port(),
                    MutualTls.siteCredentials(siteDir.resolve("ca.pem"), siteDir.resolve("site-a.pem"), siteDir.resolve("site-a.key")),
                    WireLimits.defaults());
            try (RawSite site = new RawSite(ch)) {
                site.hello("a");
                assertNotNull(site.await(ServerMessage::hasWelcome, Duration.ofSeconds(10)));
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void missingOrNonPemFileIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        var e = assertThrows(IOException.class, () -> MutualTls.siteCredentials(ca, dir.resolve("a.pem"), dir.resolve("a.key")));
        assertTrue(e.getMessage().contains("CA certificate file '" + ca + "' does not exist"), e.getMessage());
        Files.writeString(ca, "not a certificate");
        var e2 = assertThrows(IOException.class, () -> MutualTls.siteCredentials(ca, dir.resolve("a.pem"), dir.resolve("a.key")));
        assertTrue(e2.getMessage().contains("is not PEM"), e2.getMessage());
    }
}
