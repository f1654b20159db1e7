package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.ml.ModelSpec;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed site with {@code require_secure_aggregation} (its allow-list policy, {@link GovernedSite}, the site
 * connection, over real gRPC with mutual TLS from provisioned kits) refuses a plain fit, telling the server why and
 * recording it in its audit log, and takes a fit that keeps its update, of which the server gets no parameters.
 */
@Timeout(60)
class SecureAggregationRequiredOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.logistic();

    @TempDir
    Path dir;

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

    @Test
    void aPlainFitIsRefusedAndAuditedWhileASecureOneIsTakenWithoutItsUpdateLeaving() throws Exception {
        Path fed = dir.resolve("secure");
        new Provisioner().provision(FederationSpec.of("secure", new ServerAddress("127.0.0.1", 1), List.of(SITE)), fed,
                false);
        KitLayout layout = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(layout.serverKit());
        SiteKit siteKit = SiteKit.load(layout.siteKit(SITE));
        ModelParameters global = GovernedSiteTest.model(SPEC).init(5);
        FitConfig fit = new FitConfig(1, 8, 0.1, false, 11);
        GovernedSite site = new GovernedSite(GovernedSiteTest.DATA, new AllowListPolicy(new AllowList(
                Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg+secagg+"), List.of(SPEC), 10, 10_000), true));
        List<AuditEntry> audit = new ArrayList<>();
        Outcomes plain = new Outcomes();
        Outcomes secure = new Outcomes();
        try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.of(SITE)),
                ServerSettings.defaults().withLabels("fedavg+secagg+", SPEC.toJson()))) {
            var channel = SiteChannels.open("127.0.0.1", server.port(), MutualTls.siteCredentials(
                    siteKit.caCertificate(), siteKit.certificate(), siteKit.privateKey()), WireLimits.defaults());
            SiteConnection connection = new SiteConnection(channel, SiteSettings.of(SITE), site, site, entry -> {
                synchronized (audit) {
                    audit.add(entry);
                }
            }).keepingUpdatesWith(new SecureSumParticipants(RandomnessSource.system()));
            try {
                connection.start();
                assertTrue(server.pool().awaitSites(1, Duration.ofSeconds(20)), "the site connects");
                server.pool().fit(List.of(new FitTask(1, SITE, global, fit)), Duration.ofSeconds(20), plain);
                server.pool().fit(List.of(new FitTask(2, SITE, global, fit).withRelease(UpdateRelease.SECURE_SUM)),
                        Duration.ofSeconds(20), secure);
            } finally {
                connection.close();
                channel.shutdownNow();
            }
        }
        String reason = "the fit would send this site's update to the server in the clear; this site takes part only"
                + " in rounds with secure aggregation (require_secure_aggregation: true)";
        assertEquals(List.of(), plain.results);
        assertEquals(1, plain.failures.size());
        assertTrue(plain.failures.getFirst().reason().contains(reason), plain.failures.getFirst().reason());
        synchronized (audit) {
            assertTrue(audit.stream().anyMatch(e -> e.event() == AuditEntry.Event.REFUSED && e.round() == 1
                    && e.reason().equals(reason)), audit.toString());
        }
        assertEquals(List.of(), secure.failures);
        assertEquals(1, secure.results.size());
        FitResult held = secure.results.getFirst();
        assertArrayEquals(global.flat(), held.parameters().flat(), "the held result carries the global model only");
        assertEquals(GovernedSiteTest.DATA.site().train().rows(), held.numExamples());
    }
}
