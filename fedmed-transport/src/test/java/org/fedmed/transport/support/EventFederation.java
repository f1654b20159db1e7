package org.fedmed.transport.support;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.SiteClient;
import org.fedmed.transport.server.FederationEvents;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.GrpcSitePool;
import org.fedmed.transport.server.PeerAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteAuditLog;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.TaskPolicy;

/**
 * A federation server on 127.0.0.1 that reports to a {@link FederationEvents} listener, with sites joining it over
 * mutual TLS with certificates from {@link TestFederation#PKI}. Closing it closes every site, channel and the server.
 */
public final class EventFederation implements AutoCloseable {

    private final FederationServer server;
    private final ServerSettings settings;
    private final List<SiteConnection> connections = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Map<String, TestPki.Credential> credentials = new ConcurrentHashMap<>();

    public EventFederation(ServerSettings settings, PeerAuthorizer authorizer, FederationEvents events) throws IOException {
        this.settings = settings;
        this.server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                TestFederation.PKI.serverCredentials(TestFederation.PKI.server()), authorizer, settings, events);
    }

    public GrpcSitePool pool() {
        return server.pool();
    }

    /** The certificate the site's channels present, issued on first use. */
    public TestPki.Credential credential(String siteId) {
        return credentials.computeIfAbsent(siteId, TestFederation.PKI::site);
    }

    /** A channel presenting a certificate whose common name is {@code siteId}. */
    public synchronized ManagedChannel channelFor(String siteId) throws IOException {
        ManagedChannel ch = SiteChannels.open("127.0.0.1", server.port(),
                TestFederation.PKI.siteCredentials(credential(siteId)), settings.limits());
        channels.add(ch);
        return ch;
    }

    /** Starts a site with its own certificate and channel. */
    public synchronized SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit) throws IOException {
        SiteConnection c = new SiteConnection(channelFor(client.siteId()), TestFederation.siteSettings(client.siteId()),
                client, policy, audit);
        connections.add(c);
        c.start();
        return c;
    }

    @Override
    public void close() throws InterruptedException {
        List<SiteConnection> cs;
        List<ManagedChannel> chs;
        synchronized (this) {
            cs = List.copyOf(connections);
            chs = List.copyOf(channels);
        }
        for (SiteConnection c : cs) {
            c.close();
        }
        server.close();
        for (ManagedChannel ch : chs) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : chs) {
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
