package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.ComparisonReport;

/**
 * The common part of the tests that compare a deployment with {@code fedmed simulate}: a server process and one site
 * process per Fed-Heart-Disease hospital run a config to its end, and the same config runs in process; the rounds
 * each recorded are then compared.
 */
final class MatchedRun {

    /** The site.yaml data keys that make a deployed site prepare its data as a simulation with them does. */
    static final String PER_SITE_DATA = "stats: per_site\nmissing_indicators: false";

    /** The simulation section that makes {@code simulate} prepare each site as a site with {@link #PER_SITE_DATA} does. */
    static final String PER_SITE_SIMULATION = """
            simulation:
              stats: per_site
              missing_indicators: false
              regimes: [federated]
            """;

    private MatchedRun() {
    }

    /**
     * Starts the server with {@code serverYaml}, then a site process per hospital approving {@code strategies} and
     * {@code modelSpec} with {@code dataKeys} in its data section, and waits for the server to end the run (exit 0).
     * Every process is closed before this returns.
     */
    static void runToEnd(Federation fed, Path serverYaml, Path logs, String strategies, String modelSpec,
                         String dataKeys) throws Exception {
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, strategies, modelSpec, dataKeys).toString()));
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(240)), server.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
    }

    /** What {@code fedmed simulate} reaches with {@code yaml} on the data in {@code FEDMED_DATA}. */
    static ComparisonReport simulate(String yaml) {
        SimulationConfig cfg = ConfigLoader.parse(yaml, "simulation", Map.of());
        return new ComparisonExperiment(cfg, null).run(SimulationData.load(cfg, DatasetRegistry.fromEnvironment()));
    }

    /** Every hospital delivered in every round, and each round's evaluation equals the simulated round's. */
    static void assertSameRounds(ComparisonReport sim, List<RoundRecord> rounds, int expected) {
        assertEquals(expected, rounds.size(), "rounds recorded");
        for (int r = 0; r < rounds.size(); r++) {
            assertEquals(Federation.HOSPITALS, rounds.get(r).succeeded(), "round " + (r + 1) + " cohort");
            assertEquals(sim.federated().rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                    "round " + (r + 1) + " eval");
        }
    }
}
