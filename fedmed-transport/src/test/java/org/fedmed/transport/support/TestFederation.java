package org.fedmed.transport.support;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.SiteClient;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationEvents;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.GrpcSitePool;
import org.fedmed.transport.server.PeerAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.Backoff;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteAuditLog;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.site.StatisticsResponder;
import org.fedmed.transport.site.TaskPolicy;

/**
 * A federation server on 127.0.0.1 with a throwaway CA, and helpers to connect sites to it over mutual TLS.
 * Closing it closes every site, channel and the server.
 */
public final class TestFederation implements AutoCloseable {

    /** One CA for the whole test run; issuing certificates is cheap, making a CA per test is not needed. */
    public static final TestPki PKI = TestPki.create("fedmed-test-ca");

    public static final TaskPolicy ACCEPT_ALL = offer -> PolicyDecision.accept();

    private final FederationServer server;
    private final ServerSettings settings;
    private final List<SiteConnection> connections = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Map<String, TestPki.Credential> credentials = new ConcurrentHashMap<>();

    public TestFederation(ServerSettings settings, PeerAuthorizer authorizer) throws IOException {
        this(settings, authorizer, FederationEvents.NONE);
    }

    /** A server that reports what happens on the wire to {@code events}. */
    public TestFederation(ServerSettings settings, PeerAuthorizer authorizer, FederationEvents events)
            throws IOException {
        this.settings = settings;
        this.server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                PKI.serverCredentials(PKI.server()), authorizer, settings, events);
    }

    public TestFederation(ServerSettings settings) throws IOException {
        this(settings, new CommonNameAuthorizer(java.util.Set.of()));
    }

    public GrpcSitePool pool() {
        return server.pool();
    }

    public FederationServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** Fast reconnects, for tests. */
    public static SiteSettings siteSettings(String siteId) {
        return SiteSettings.of(siteId).withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0));
    }

    public TestPki.Credential credential(String siteId) {
        return credentials.computeIfAbsent(siteId, PKI::site);
    }

    /** A channel presenting {@code siteId}'s certificate. */
    public ManagedChannel channelFor(String siteId) throws IOException {
        return channel(PKI.siteCredentials(credential(siteId)));
    }

    public synchronized ManagedChannel channel(ChannelCredentials creds) {
        ManagedChannel ch = SiteChannels.open("127.0.0.1", port(), creds, settings.limits());
        channels.add(ch);
        return ch;
    }

    /** Starts a site with its own certificate and channel. */
    public SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit) throws IOException {
        return join(client, policy, audit, siteSettings(client.siteId()), channelFor(client.siteId()));
    }

    public synchronized SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit,
                                            SiteSettings siteSettings, ManagedChannel channel) {
        return join(client, policy, audit, siteSettings, channel, ExchangeParticipants.NONE);
    }

    /** Starts a site with its own certificate and channel that keeps its updates for secure sums with {@code held}. */
    public SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit, ExchangeParticipants held)
            throws IOException {
        return join(client, policy, audit, siteSettings(client.siteId()), channelFor(client.siteId()), held);
    }

    public synchronized SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit,
                                            SiteSettings siteSettings, ManagedChannel channel,
                                            ExchangeParticipants held) {
        return join(client, policy, audit, siteSettings, channel, held, StatisticsResponder.NONE);
    }

    /** Starts a site that answers the statistics exchange with {@code statistics}, set before it dials. */
    public synchronized SiteConnection join(SiteClient client, TaskPolicy policy, SiteAuditLog audit,
                                            SiteSettings siteSettings, ManagedChannel channel,
                                            ExchangeParticipants held, StatisticsResponder statistics) {
        SiteConnection c = new SiteConnection(channel, siteSettings, client, policy, audit).keepingUpdatesWith(held)
                .answeringStatistics(statistics);
        connections.add(c);
        c.start();
        return c;
    }

    public static WireLimits limits() {
        return WireLimits.defaults();
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
