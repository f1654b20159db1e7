package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.ml.ModelSpec;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * A server and one deployed site in this JVM, over real gRPC on 127.0.0.1 with mutual TLS from kits provisioned for
 * the test: the site ({@link GovernedSite}, its policy and the site connection) is connected when {@link #start}
 * returns, every audit entry it writes is kept, and {@link #close} closes the connection, the channel and the server.
 * Tests send fits through {@link #fit} and assert on what came back and on {@link #audit}.
 */
final class SiteOverTheWire implements AutoCloseable {

    /** How long the site has to connect, and each fit to come back. */
    static final Duration WAIT = Duration.ofSeconds(20);

    /** The outcomes of one dispatch, in arrival order. */
    static final class Outcomes implements OutcomeSink<FitResult> {
        final List<FitResult> results = new ArrayList<>();
        final List<SiteFailure> failures = new ArrayList<>();

        @Override
        public void success(FitResult result) {
            results.add(result);
        }

        @Override
        public void failure(SiteFailure failure) {
            failures.add(failure);
        }
    }

    private final FederationServer server;
    private final ManagedChannel channel;
    private final SiteConnection connection;
    private final List<AuditEntry> audit;

    private SiteOverTheWire(FederationServer server, ManagedChannel channel, SiteConnection connection,
                            List<AuditEntry> audit) {
        this.server = server;
        this.channel = channel;
        this.connection = connection;
        this.audit = audit;
    }

    /**
     * Provisions federation {@code name} under {@code dir} for {@code site}, starts a server whose rounds are labelled
     * {@code strategy} and {@code spec}, and connects the site to it; fails the test if it does not connect in
     * {@link #WAIT}.
     */
    static SiteOverTheWire start(Path dir, String name, GovernedSite site, String strategy, ModelSpec spec)
            throws Exception {
        return start(dir, name, site, strategy, spec, ExchangeParticipants.NONE);
    }

    /** As above, with the site keeping its updates for secure sums with {@code held}. */
    static SiteOverTheWire start(Path dir, String name, GovernedSite site, String strategy, ModelSpec spec,
                                 ExchangeParticipants held) throws Exception {
        String id = site.siteId();
        Path fed = dir.resolve(name);
        new Provisioner().provision(FederationSpec.of(name, new ServerAddress("127.0.0.1", 1), List.of(id)), fed,
                false);
        KitLayout layout = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(layout.serverKit());
        SiteKit siteKit = SiteKit.load(layout.siteKit(id));
        FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.of(id)), ServerSettings.defaults().withLabels(strategy, spec.toJson()));
        ManagedChannel channel = null;
        SiteConnection connection = null;
        try {
            channel = SiteChannels.open("127.0.0.1", server.port(), MutualTls.siteCredentials(
                    siteKit.caCertificate(), siteKit.certificate(), siteKit.privateKey()), WireLimits.defaults());
            List<AuditEntry> audit = new ArrayList<>();
            connection = new SiteConnection(channel, SiteSettings.of(id), site, site, entry -> {
                synchronized (audit) {
                    audit.add(entry);
                }
            }).keepingUpdatesWith(held);
            SiteOverTheWire wire = new SiteOverTheWire(server, channel, connection, audit);
            connection.start();
            assertTrue(server.pool().awaitSites(1, WAIT), "the site connects");
            return wire;
        } catch (Exception | AssertionError e) {
            if (connection != null) {
                connection.close();
            }
            if (channel != null) {
                channel.shutdownNow();
            }
            server.close();
            throw e;
        }
    }

    /** Sends {@code task} to the site and returns what came back within {@link #WAIT}. */
    Outcomes fit(FitTask task) {
        Outcomes outcomes = new Outcomes();
        server.pool().fit(List.of(task), WAIT, outcomes);
        return outcomes;
    }

    /** The site's audit entries so far, in the order it wrote them. */
    List<AuditEntry> audit() {
        synchronized (audit) {
            return List.copyOf(audit);
        }
    }

    /** Whether the site's audit log records that it refused round {@code round} for exactly {@code reason}. */
    boolean auditedRefusal(int round, String reason) {
        return audit().stream().anyMatch(e -> e.event() == AuditEntry.Event.REFUSED && e.round() == round
                && e.reason().equals(reason));
    }

    @Override
    public void close() {
        try {
            connection.close();
            channel.shutdownNow();
        } finally {
            server.close();
        }
    }
}
