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
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.filter.FilteredSiteClient;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.privacy.NoiseSource;
import org.fedmed.privacy.fedavg.ClippingFilter;
import org.fedmed.privacy.fedavg.LocalGaussianNoise;
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
 * A deployed site (its allow-list, {@link GovernedSite} with {@code privacy.update_noise}, the site connection) gets
 * fits asking for DP-FedAvg noise over real gRPC with mutual TLS from provisioned kits: with local noise, and with a
 * share of distributed noise, it returns, bit for bit, the update a simulated site sends (its trainer behind the
 * clipping and noise filters seeded from the simulation's stream of that site); a fit whose noise is below the site's
 * minimum or whose clip norm is above its maximum is refused, with the reason told to the server and written to the
 * site's audit log.
 */
@Timeout(60)
class UpdateNoiseOverTheWireTest {

    static final String SITE = GovernedSiteTest.SITE;
    static final ModelSpec SPEC = ModelSpec.mlp(5);
    static final long RUN_SEED = 42;
    static final UpdateNoiseSettings BOUNDS = new UpdateNoiseSettings(0.5, 1.0, false, RUN_SEED);

    @TempDir
    Path dir;

    @Test
    void aDeployedSiteNoisesItsUpdateAsTheSimulatedSiteDoesAndRefusesNoiseOutsideItsBounds() throws Exception {
        Path fed = dir.resolve("noise");
        new Provisioner().provision(FederationSpec.of("noise", new ServerAddress("127.0.0.1", 1), List.of(SITE)), fed,
                false);
        KitLayout layout = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(layout.serverKit());
        SiteKit siteKit = SiteKit.load(layout.siteKit(SITE));

        Model model = GovernedSiteTest.model(SPEC);
        ModelParameters global = model.init(5);
        FitConfig plain = new FitConfig(2, 8, 0.1, false, 11);
        LocalTerm.UpdateNoise local = new LocalTerm.UpdateNoise(0.8, 0.7, 1);
        LocalTerm.UpdateNoise share = new LocalTerm.UpdateNoise(0.8, 1.2, 4);
        List<FitTask> tasks = List.of(new FitTask(1, SITE, global, plain.withTerms(List.of(local))),
                new FitTask(2, SITE, global, plain.withSeed(12).withTerms(List.of(share))));
        FitTask tooLittle = new FitTask(3, SITE, global, plain.withTerms(List.of(new LocalTerm.UpdateNoise(0.8, 0.9,
                4))));
        FitTask clipTooLarge = new FitTask(4, SITE, global, plain.withTerms(List.of(new LocalTerm.UpdateNoise(1.5,
                1.0, 1))));

        GovernedSite site = new GovernedSite(SITE, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT,
                TaskKind.EVALUATE), List.of("dp-fedavg-local"), List.of(SPEC), 10, 10_000)), null, null, null, null,
                BOUNDS);
        site.prepare(GovernedSiteTest.DATA);
        List<AuditEntry> audit = new ArrayList<>();
        List<FitResult> deployed = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.of(SITE)), ServerSettings.defaults().withLabels("dp-fedavg-local",
                        SPEC.toJson()))) {
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
                    ProximalFitOverTheWireTest.Outcomes one = new ProximalFitOverTheWireTest.Outcomes();
                    server.pool().fit(List.of(task), Duration.ofSeconds(20), one);
                    assertEquals(List.of(), one.failures, "round " + task.round());
                    deployed.addAll(one.results);
                }
                for (FitTask task : List.of(tooLittle, clipTooLarge)) {
                    ProximalFitOverTheWireTest.Outcomes one = new ProximalFitOverTheWireTest.Outcomes();
                    server.pool().fit(List.of(task), Duration.ofSeconds(20), one);
                    assertEquals(List.of(), one.results, "round " + task.round());
                    assertEquals(1, one.failures.size(), "round " + task.round());
                    refusals.add(one.failures.getFirst().reason());
                }
            } finally {
                connection.close();
                channel.shutdownNow();
            }
        }

        NoiseSource simulated = NoiseSource.seeded(Seeds.ofSite(RUN_SEED, Seeds.Stream.SITE_FILTER_NOISE, SITE));
        TrainingSiteClient trainer = new TrainingSiteClient(SITE, model, GovernedSiteTest.DATA.site().train(),
                GovernedSiteTest.DATA.site().test(), 0.9);
        FitResult localExpected = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8),
                new LocalGaussianNoise(0.7, 0.8, simulated))).fit(new FitTask(1, SITE, global, plain));
        FitResult shareExpected = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8),
                new LocalGaussianNoise(1.2 / 2, 0.8, simulated))).fit(new FitTask(2, SITE, global, plain.withSeed(12)));
        assertTrue(deployed.get(0).isDelta() && deployed.get(1).isDelta(), "the noised update is sent as a delta");
        assertArrayEquals(localExpected.parameters().flat(), deployed.get(0).parameters().flat(), "local noise");
        assertArrayEquals(shareExpected.parameters().flat(), deployed.get(1).parameters().flat(), "distributed share");
        FitResult clippedOnly = new FilteredSiteClient(trainer, List.of(new ClippingFilter(0.8)))
                .fit(new FitTask(1, SITE, global, plain));
        assertFalse(Arrays.equals(clippedOnly.parameters().flat(), deployed.get(0).parameters().flat()),
                "the noise changed the update");

        List<String> reasons = List.of("the fit asks the site to add noise of multiplier 0.45 (dp.noise_multiplier 0.9"
                        + " over 4.0 share(s)); this site adds at least 0.5 (privacy.update_noise.min_noise_multiplier)",
                "the fit asks the site to clip its update to norm 1.5 (dp.clip_norm); this site clips to at most 1.0"
                        + " (privacy.update_noise.max_clip_norm)");
        for (int i = 0; i < reasons.size(); i++) {
            String reason = reasons.get(i);
            int round = 3 + i;
            assertTrue(refusals.get(i).contains(reason), refusals.get(i));
            synchronized (audit) {
                assertTrue(audit.stream().anyMatch(e -> e.event() == AuditEntry.Event.REFUSED && e.round() == round
                        && e.reason().equals(reason)), audit.toString());
            }
        }
    }
}
