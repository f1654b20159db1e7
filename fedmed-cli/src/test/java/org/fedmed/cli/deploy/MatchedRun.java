package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SitePool;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.report.ComparisonReport;

/**
 * The common part of the tests that compare a deployment with {@code fedmed simulate}: a server process and one site
 * process per site (by default per Fed-Heart-Disease hospital) run a config to its end, and the same config runs in
 * process; the rounds each recorded are then compared.
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

    /** Starts the process of site {@code site}, its output going to {@code logs}. */
    @FunctionalInterface
    interface SiteLauncher {
        FedmedProcess start(String site, Path logs) throws Exception;
    }

    /** What a test checks once the server has ended the run, while the site processes (by site) are still held. */
    @FunctionalInterface
    interface AfterRun {
        void check(Map<String, FedmedProcess> sites) throws Exception;
    }

    /**
     * Starts the server with {@code serverYaml}, then a site process per hospital approving {@code strategies} and
     * {@code modelSpec} with {@code dataKeys} in its data section, and waits for the server to end the run (exit 0).
     * Every process is closed before this returns.
     */
    static void runToEnd(Federation fed, Path serverYaml, Path logs, String strategies, String modelSpec,
                         String dataKeys) throws Exception {
        runToEnd(serverYaml, logs, Federation.HOSPITALS, (site, dir) -> FedmedProcess.start(site, dir, "site",
                "--config", fed.siteConfig(site, site, strategies, modelSpec, dataKeys).toString()),
                Duration.ofSeconds(240), sites -> { });
    }

    /**
     * Starts the server with {@code serverYaml}, once it listens a process per site in {@code sites} through
     * {@code launcher}, waits up to {@code timeout} for the server to end the run (exit 0), then runs
     * {@code afterRun}. Every process is closed before this returns, whether the run or a check failed or not.
     */
    static void runToEnd(Path serverYaml, Path logs, List<String> sites, SiteLauncher launcher, Duration timeout,
                         AfterRun afterRun) throws Exception {
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            Map<String, FedmedProcess> started = new LinkedHashMap<>();
            for (String site : sites) {
                FedmedProcess p = launcher.start(site, logs);
                processes.add(p);
                started.put(site, p);
            }
            assertEquals(0, server.awaitExit(timeout), server.output());
            afterRun.check(started);
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

    /**
     * What {@code fedmed simulate} reaches with the federated regime of {@code training} on a dataset definition a
     * test wrote: {@code training} names it {@code dataset} (as the server's config does), the simulation reads it at
     * {@code definition}, with no dataset registry, and reaches its sites through {@code around(pool)}.
     */
    static ComparisonReport simulateDefinition(String training, String dataset, Path definition,
                                               UnaryOperator<SitePool> around) {
        SimulationConfig cfg = ConfigLoader.parse(training.replace(dataset, definition.toString())
                + "simulation: {regimes: [federated]}\n", "simulation", Map.of());
        return new ComparisonExperiment(cfg, null).withSitePool(around)
                .run(SimulationData.load(cfg, new DatasetRegistry(List.of())));
    }

    /** Every hospital delivered in every round, and each round's evaluation equals the simulated round's. */
    static void assertSameRounds(ComparisonReport sim, List<RoundRecord> rounds, int expected) {
        assertSameRounds(sim, rounds, expected, Federation.HOSPITALS);
    }

    /** Every site of {@code cohort} delivered in every round, in that order, and each round evaluated as simulated. */
    static void assertSameRounds(ComparisonReport sim, List<RoundRecord> rounds, int expected, List<String> cohort) {
        assertEquals(expected, rounds.size(), "rounds recorded");
        for (int r = 0; r < rounds.size(); r++) {
            assertEquals(cohort, rounds.get(r).succeeded(), "round " + (r + 1) + " cohort");
            assertEquals(sim.federated().rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                    "round " + (r + 1) + " eval");
        }
    }
}
