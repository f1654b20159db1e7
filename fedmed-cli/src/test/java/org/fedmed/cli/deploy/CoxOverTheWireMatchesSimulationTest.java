package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.objective.Objective;
import org.fedmed.data.TestData;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.server.FederationPlan;
import org.fedmed.deploy.site.AllowList;
import org.fedmed.deploy.site.AllowListPolicy;
import org.fedmed.deploy.site.DataSettings;
import org.fedmed.deploy.site.GovernedSite;
import org.fedmed.deploy.site.SiteDataLoader;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.DeliveryOrder;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Cox federation over TCGA-BRCA's six regions deployed as it is deployed for real, in one JVM: the server's plan
 * ({@link FederationPlan}) from the same training config {@code fedmed simulate} reads, six governed sites that load
 * their region of the built-in definition as a deployed site does ({@link SiteDataLoader}) and approve {@code cox} in
 * their allow-lists, connected over real gRPC with mutual TLS from provisioned kits. With updates taken in task order
 * (arrival order changes only the order of float additions), its rounds and final coefficients equal the simulated
 * federated regime's bit for bit. Needs {@code tcga-brca} in {@code FEDMED_DATA}.
 */
@Timeout(120)
class CoxOverTheWireMatchesSimulationTest {

    private static final List<String> REGIONS = List.of("northeast", "south", "west", "midwest", "europe", "canada");
    private static final int ROUNDS = 3;
    private static final String TRAINING = """
            dataset: tcga-brca
            simulation:
              standardize: false
              missing_indicators: false
              stats: per_site
              regimes: [federated]
            model: {type: cox, loss: flamby_batch}
            strategy: fedadam
            server_lr: 0.1
            server_optimizer: {beta1: 0.9, beta2: 0.999, tau: 1.0e-8}
            rounds: %d
            local_steps: 100
            batch_size: 8
            lr: 0.01
            seed: 42
            """.formatted(ROUNDS);

    @TempDir
    Path dir;

    @Test
    void sixDeployedRegionsReachTheSimulatedCoxModelBitForBit() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        SimulationConfig training = ConfigLoader.parse(TRAINING, "training", Map.of());
        ComparisonReport simulated = MatchedRun.simulate(TRAINING);
        FederationPlan plan = FederationPlan.of(training, REGIONS.size(), registry);
        assertTrue(plan.objective() instanceof Objective.Survival, plan.objective().toString());
        assertEquals("cox_loss", plan.engine().lossMetric());

        Path fed = dir.resolve("tcga");
        new Provisioner().provision(FederationSpec.of("tcga", new ServerAddress("127.0.0.1", 1), REGIONS), fed, false);
        KitLayout kits = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(kits.serverKit());
        DataSettings data = new DataSettings(BuiltInDatasets.TCGA_BRCA, null, 0.25, MissingPolicy.MEAN, false, 42);
        AllowListPolicy policy = new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("fedadam"), List.of(plan.spec()), 10, 10_000, 100));
        RunResult deployed;
        List<SiteConnection> connections = new ArrayList<>();
        List<io.grpc.ManagedChannel> channels = new ArrayList<>();
        try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.copyOf(REGIONS)), ServerSettings.defaults()
                        .withDeliveryOrder(DeliveryOrder.TASK_ORDER).withLabels(plan.strategy().name(), plan.specLabel()))) {
            try {
                for (String region : REGIONS) {
                    SiteKit kit = SiteKit.load(kits.siteKit(region));
                    GovernedSite site = new GovernedSite(SiteDataLoader.load(data, region, registry), policy);
                    var channel = SiteChannels.open("127.0.0.1", server.port(), MutualTls.siteCredentials(
                            kit.caCertificate(), kit.certificate(), kit.privateKey()), WireLimits.defaults());
                    channels.add(channel);
                    SiteConnection connection = new SiteConnection(channel, SiteSettings.of(region), site, site,
                            entry -> { });
                    connections.add(connection);
                    connection.start();
                }
                assertTrue(server.pool().awaitSites(REGIONS.size(), Duration.ofSeconds(30)), "six regions connect");
                deployed = new RoundEngine(plan.strategy(), server.pool(), plan.engine(), null).run(plan.initial());
            } finally {
                for (SiteConnection c : connections) {
                    c.close();
                }
                channels.forEach(io.grpc.ManagedChannel::shutdownNow);
            }
        }

        assertEquals(ROUNDS, deployed.rounds().size(), deployed.stopDetail());
        for (int r = 0; r < ROUNDS; r++) {
            assertEquals(REGIONS.size(), deployed.rounds().get(r).succeeded().size(), "round " + (r + 1));
            assertEquals(simulated.federated().rounds().get(r).evalMetrics(), deployed.rounds().get(r).evalMetrics(),
                    "round " + (r + 1) + " evaluation");
        }
        assertArrayEquals(simulated.federated().finalModel().flat(), deployed.finalModel().flat());
        assertTrue(deployed.finalModel().l2Norm() > 0, "training moved the coefficients from zero");
        assertEquals(Set.of("c_index", "cox_loss", "c_index_median", "cox_loss_median"),
                deployed.rounds().getLast().evalMetrics().keySet(), "sites report the survival metrics");
    }
}
