package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kits work as written with grpc-java's TLS credentials: a server on 127.0.0.1 requiring client
 * certificates admits a site with its kit, refuses clients without a certificate or from another CA in the
 * handshake, and a revoked site that passes the handshake is refused by {@link Authorization}.
 */
class MutualTlsSmokeTest {

    private static Path tmp;
    private static ProvisionedFederation federation;
    private static ProvisionedFederation otherCa;
    private static Server server;
    private static final Set<String> admitted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServer() throws IOException {
        tmp = Files.createTempDirectory("fedmed-mtls");
        federation = TestFederations.provision(tmp.resolve("demo"), "demo", "127.0.0.1", 21);
        otherCa = TestFederations.provision(tmp.resolve("other"), "demo", "127.0.0.1", 22);
        new Revoker().revoke(federation.directory(), "c");

        ServerKit kit = ServerKit.load(federation.serverKit());
        Authorization authorization = Authorization.forServerKit(kit);
        TlsServerCredentials credentials = (TlsServerCredentials) TlsServerCredentials.newBuilder()
                .keyManager(kit.certificate().toFile(), kit.privateKey().toFile())
                .trustManager(kit.caCertificate().toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
        HealthStatusManager health = new HealthStatusManager();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
                .addService(ServerInterceptors.intercept(health.getHealthService(), new SiteGate(authorization)))
                .build()
                .start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        SecureFiles.deleteTree(tmp);
    }

    /** Admits a call only if {@link Authorization} accepts the TLS peer's certificate chain. */
    private record SiteGate(Authorization authorization) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            try {
                if (session == null) {
                    throw new SSLPeerUnverifiedException("not a TLS connection");
                }
                admitted.add(authorization.authorize(session.getPeerCertificates()).site());
                return next.startCall(call, headers);
            } catch (AccessDeniedException | SSLPeerUnverifiedException e) {
                call.close(Status.PERMISSION_DENIED.withDescription(e.getMessage()), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
    }

    private static HealthCheckResponse.ServingStatus check(ChannelCredentials credentials) throws InterruptedException {
        return check(server.getPort(), credentials);
    }

    private static HealthCheckResponse.ServingStatus check(int port, ChannelCredentials credentials)
            throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The key and certificate of {@code site} in {@code fed}, trusting the CA of the federation under test. */
    private static ChannelCredentials siteCredentials(ProvisionedFederation fed, String site) throws IOException {
        SiteKit kit = SiteKit.load(fed.siteKits().get(site));
        return TlsChannelCredentials.newBuilder()
                .keyManager(kit.certificate().toFile(), kit.privateKey().toFile())
                .trustManager(federation.caDirectory().resolve(KitLayout.CA_CERTIFICATE).toFile())
                .build();
    }

    @Test
    void siteWithItsKitIsAdmitted() throws Exception {
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, check(siteCredentials(federation, "a")));
        assertTrue(admitted.contains("a"));
    }

    @Test
    void clientWithoutCertificateIsRefusedInTheHandshake() throws Exception {
        ChannelCredentials noCert = TlsChannelCredentials.newBuilder()
                .trustManager(federation.siteKits().get("a").resolve("ca.pem").toFile()).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check(noCert));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }

    @Test
    void clientFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        ChannelCredentials rogue = siteCredentials(otherCa, "b");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check(rogue));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        assertFalse(admitted.contains("b"), "no call from the rogue 'b' reached the service");
    }

    @Test
    void revokedSitePassesTheHandshakeButIsDenied() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> check(siteCredentials(federation, "c")));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
        assertTrue(e.getStatus().getDescription().contains("revoked"), e.getStatus().getDescription());
        assertFalse(admitted.contains("c"));
    }

    @Test
    void siteRefusesAServerFromAnotherCa() throws Exception {
        // The site trusts only its own federation's CA, so a server of another CA (same name, same host) fails.
        ServerKit rogueKit = ServerKit.load(otherCa.serverKit());
        Server rogue = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(rogueKit.certificate().toFile(), rogueKit.privateKey().toFile()))
                .addService(new HealthStatusManager().getHealthService()).build().start();
        try {
            ChannelCredentials site = siteCredentials(federation, "a");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check(rogue.getPort(), site));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
            rogue.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
