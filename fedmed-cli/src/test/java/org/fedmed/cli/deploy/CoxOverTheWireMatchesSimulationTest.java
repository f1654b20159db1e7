package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.objective.Objective;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.server.FederationPlan;
import org.fedmed.deploy.server.ServerConfig;
import org.fedmed.deploy.site.GovernedSite;
import org.fedmed.deploy.site.SiteConfig;
import org.fedmed.deploy.site.SiteDataLoader;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.Regime;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
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
 * examples/flamby-tcga/deploy/ as it is deployed for real, in one JVM: the server's plan ({@link FederationPlan}) from
 * the example's {@code server.yaml}, six governed sites from its {@code sites/*.yaml} that load their region of the
 * built-in definition as a deployed site does ({@link SiteDataLoader}) and approve its {@code cox} spec, connected
 * over real gRPC with mutual TLS from provisioned kits, updates taken in the server config's delivery order. Its
 * rounds and final coefficients equal those of {@code fedmed simulate} on the example's
 * {@code simulate-fedadam.yaml} bit for bit. Needs {@code tcga-brca} in {@code FEDMED_DATA}.
 */
@Timeout(120)
class CoxOverTheWireMatchesSimulationTest {

    private static final List<String> REGIONS = List.of("northeast", "south", "west", "midwest", "europe", "canada");
    private static final Path EXAMPLE = Path.of("..", "examples", "flamby-tcga");

    @TempDir
    Path dir;

    @Test
    void sixDeployedRegionsReachTheSimulatedCoxModelBitForBit() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        SimulationConfig simulation = ConfigLoader.load(EXAMPLE.resolve("simulate-fedadam.yaml"))
                .withRegimes(List.of(Regime.FEDERATED));
        ComparisonReport simulated = new ComparisonExperiment(simulation, null)
                .run(SimulationData.load(simulation, registry));
        ServerConfig server = ServerConfig.load(EXAMPLE.resolve("deploy").resolve("server.yaml"));
        FederationPlan plan = FederationPlan.of(server.training(), REGIONS.size(), registry);
        int rounds = server.training().rounds();
        assertEquals(simulation.rounds(), rounds, "the deployment runs the simulated budget");
        assertTrue(plan.objective() instanceof Objective.Survival, plan.objective().toString());
        assertEquals("cox_loss", plan.engine().lossMetric());

        Path fed = dir.resolve("tcga");
        new Provisioner().provision(FederationSpec.of("tcga", new ServerAddress("127.0.0.1", 1), REGIONS), fed, false);
        KitLayout kits = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(kits.serverKit());
        RunResult deployed;
        List<SiteConnection> connections = new ArrayList<>();
        List<io.grpc.ManagedChannel> channels = new ArrayList<>();
        try (FederationServer grpc = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(), serverKit.privateKey()),
                new CommonNameAuthorizer(Set.copyOf(REGIONS)), ServerSettings.defaults()
                        .withDeliveryOrder(server.deliveryOrder()).withLabels(plan.strategy().name(),
                                plan.specLabel()))) {
            try {
                for (String region : REGIONS) {
                    SiteKit kit = SiteKit.load(kits.siteKit(region));
                    SiteConfig config = SiteConfig.load(EXAMPLE.resolve("deploy").resolve("sites")
                            .resolve(region + ".yaml"));
                    GovernedSite site = new GovernedSite(SiteDataLoader.load(config.data(), region, registry),
                            config.policy());
                    var channel = SiteChannels.open("127.0.0.1", grpc.port(), MutualTls.siteCredentials(
                            kit.caCertificate(), kit.certificate(), kit.privateKey()), WireLimits.defaults());
                    channels.add(channel);
                    SiteConnection connection = new SiteConnection(channel, SiteSettings.of(region), site, site,
                            entry -> { });
                    connections.add(connection);
                    connection.start();
                }
                assertTrue(grpc.pool().awaitSites(REGIONS.size(), Duration.ofSeconds(30)), "six regions connect");
                deployed = new RoundEngine(plan.strategy(), grpc.pool(), plan.engine(), null).run(plan.initial());
            } finally {
                for (SiteConnection c : connections) {
                    c.close();
                }
                channels.forEach(io.grpc.ManagedChannel::shutdownNow);
            }
        }

        assertEquals(rounds, deployed.rounds().size(), deployed.stopDetail());
        for (int r = 0; r < rounds; r++) {
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
