package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
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
 * A deployed site (its allow-list, {@link GovernedSite}, the site connection) trains a FedProx fit sent over real
 * gRPC with mutual TLS from provisioned kits, and returns the update an in-process {@link TrainingSiteClient} computes
 * for the same tasks, bit for bit; a fit whose mu is over the site's cap is refused with the reason.
 */
@Timeout(60)
class ProximalFitOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.mlp(5);
    static final double CAP = 0.5;

    @TempDir
    Path dir;

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

    @Test
    void aDeployedSiteReturnsTheInProcessFedProxUpdateBitForBitAndRefusesMuOverItsCap() throws Exception {
        Path fed = dir.resolve("prox");
        new Provisioner().provision(FederationSpec.of("prox", new ServerAddress("127.0.0.1", 1), List.of(SITE)), fed,
                false);
        KitLayout layout = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(layout.serverKit());
        SiteKit siteKit = SiteKit.load(layout.siteKit(SITE));

        Model model = GovernedSiteTest.model(SPEC);
        ModelParameters global = model.init(5);
        FitConfig prox = new FitConfig(2, 8, 0.1, false, 11).withTerms(List.of(new LocalTerm.Proximal(0.3)));
        List<FitTask> tasks = List.of(new FitTask(1, SITE, global, prox),
                new FitTask(2, SITE, global, prox.withWork(LocalWork.steps(7)).withSeed(12)),
                new FitTask(3, SITE, global, prox.withTerms(List.of(new LocalTerm.Proximal(CAP))).withSeed(13)));

        GovernedSite site = new GovernedSite(GovernedSiteTest.DATA, new AllowListPolicy(new AllowList(
                Set.of(TaskKind.FIT, TaskKind.EVALUATE), List.of("fedavg"), List.of(SPEC), 10, 10_000, 100, CAP)));
        List<AuditEntry> audit = new ArrayList<>();
        List<FitResult> deployed = new ArrayList<>();
        Outcomes over;
        try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.of(SITE)), ServerSettings.defaults().withLabels("fedavg", SPEC.toJson()))) {
            var channel = SiteChannels.open("127.0.0.1", server.port(), MutualTls.siteCredentials(
                    siteKit.caCertificate(), siteKit.certificate(), siteKit.privateKey()), WireLimits.defaults());
            SiteConnection connection = new SiteConnection(channel, SiteSettings.of(SITE), site, site, entry -> {
                synchronized (audit) {
                    audit.add(entry);
                }
            });
            try {
                connection.start();
                assertTrue(server.pool().awaitSites(1, Duration.ofSeconds(20)), "the site connects");
                for (FitTask task : tasks) {
                    Outcomes one = new Outcomes();
                    server.pool().fit(List.of(task), Duration.ofSeconds(20), one);
                    assertEquals(List.of(), one.failures, "round " + task.round());
                    deployed.addAll(one.results);
                }
                over = new Outcomes();
                server.pool().fit(List.of(new FitTask(4, SITE, global,
                        prox.withTerms(List.of(new LocalTerm.Proximal(0.9))))), Duration.ofSeconds(20), over);
            } finally {
                connection.close();
                channel.shutdownNow();
            }
        }

        TrainingSiteClient direct = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9);
        assertEquals(tasks.size(), deployed.size());
        for (int i = 0; i < tasks.size(); i++) {
            FitResult expected = direct.fit(tasks.get(i));
            assertArrayEquals(expected.parameters().flat(), deployed.get(i).parameters().flat(), "round " + (i + 1));
            assertEquals(expected.trainMetrics(), deployed.get(i).trainMetrics(), "round " + (i + 1));
            assertEquals(expected.numExamples(), deployed.get(i).numExamples());
        }
        FitResult plain = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9).fit(new FitTask(1, SITE, global, prox.withTerms(List.of())));
        assertFalse(Arrays.equals(plain.parameters().flat(), deployed.getFirst().parameters().flat()),
                "the proximal term changed the update");

        assertEquals(List.of(), over.results);
        assertEquals(1, over.failures.size());
        String reason = "the fit asks for prox_mu 0.9; this site allows at most 0.5 (max_prox_mu)";
        assertTrue(over.failures.getFirst().reason().contains(reason), over.failures.getFirst().reason());
        synchronized (audit) {
            assertTrue(audit.stream().anyMatch(e -> e.event() == AuditEntry.Event.REFUSED && e.round() == 4
                    && e.reason().equals(reason)), audit.toString());
        }
    }
}
