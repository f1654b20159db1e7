package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.cli.SimulateImagesCommandTest;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.imaging.ImageDefinitionReader;
import org.fedmed.imaging.ImageSimulation;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@code fedmed server} and two {@code fedmed site} processes (separate JVMs, gRPC over mutual TLS on 127.0.0.1)
 * train a small CNN through DJL on generated 8x8 PNGs: the server sizes and initializes the model from the image
 * dataset definition, each site takes its share of the definition's partition for the run seed and trains behind its
 * allow-list. The final model equals, bit for bit, what {@code fedmed simulate}'s {@link ImageSimulation} reaches with
 * the same plan: with one PyTorch thread per process DJL's arithmetic is deterministic, and results are aggregated in
 * task order, so the two runs are the same computation.
 */
@Timeout(300)
class ImageProcessesMatchSimulationTest {

    static final String CNN = "{type: cnn, conv: [{channels: 2, kernel: 3, pool: max}], dense: [4],"
            + " optimizer: {type: sgd, momentum: 0.9}}";

    @Test
    void serverAndTwoImageSiteProcessesReachTheSimulatedCnnBitForBit(@TempDir Path tmp) throws Exception {
        ImageSimulation.Result sim = runBoth(tmp, false);
        assertTrue(sim.siteEpsilons().isEmpty());
    }

    /**
     * With {@code privacy.dp_sgd} (seeded) at each site and {@code site_dp} in the simulation, the DP-SGD runs are
     * the same computation too, and each site's ledger holds the epsilon the simulated site reports.
     */
    @Test
    void dpSgdImageSitesReachTheSimulatedModelAndEpsilon(@TempDir Path tmp) throws Exception {
        ImageSimulation.Result sim = runBoth(tmp, true);
        for (String site : List.of("site-1", "site-2")) {
            double spent = org.fedmed.deploy.site.PrivacyLedger.open(tmp.resolve("audit/" + site + "-privacy.jsonl"))
                    .replayed().epsilon(1e-5).epsilon();
            assertEquals(sim.siteEpsilons().get(site), spent, 1e-12, site);
            assertTrue(spent > 0, site);
        }
    }

    /** Runs the deployment and the simulation of the same plan, asserts they agree, returns the simulation. */
    private static ImageSimulation.Result runBoth(Path tmp, boolean dp) throws Exception {
        SimulateImagesCommandTest.images(tmp.resolve("pics"), 16, 2, "bottom", "top");
        Path def = tmp.resolve("pics.yaml");
        Files.writeString(def, """
                name: pics
                format: folder
                data_folder: pics
                train: {folder: .}
                test_fraction: 0.25
                size: [8, 8]
                channels: 1
                partition: {kind: iid, sites: 2}
                """);
        String training = """
                dataset: %s
                model: %s
                strategy: fedavg
                rounds: 2
                min_fit_sites: 2
                local_epochs: 1
                batch_size: 8
                lr: 0.05
                seed: 7
                min_rows: 2
                round_deadline_seconds: 120
                """.formatted(def, CNN);
        List<String> sites = List.of("site-1", "site-2");
        Federation fed = Federation.provision(tmp, "images", sites);
        Path serverYaml = fed.serverConfig("server.yaml", "cnn", 2, training);
        List<FedmedProcess> processes = new ArrayList<>();
        Path logs = tmp.resolve("logs");
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : sites) {
                Path cfg = tmp.resolve(site + ".yaml");
                Files.writeString(cfg, """
                        kit: %s
                        data: {definition: pics.yaml, site: %s, seed: 7}
                        allow:
                          strategies: [fedavg]
                          model_specs:
                            - %s
                          max_parameters: 1000
                        audit_log: audit/%s.jsonl
                        %s""".formatted(tmp.relativize(fed.layout.siteKit(site)), site, CNN, site, dp
                        ? "privacy: {dp_sgd: {clip_norm: 1.0, noise_multiplier: 1.1, seed: 7}}\n" : ""));
                processes.add(FedmedProcess.start(site, logs, "site", "--config", cfg.toString()));
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(240)), server.output());
            assertTrue(processes.get(1).output().contains("12 training and 4 test images"),
                    processes.get(1).output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        // the server plans no site_dp (each site's site.yaml does); the simulation gives every site the same
        String simulation = dp ? training + "site_dp: {clip_norm: 1.0, noise_multiplier: 1.1}\n" : training;
        ImageSimulation.Result sim = ImageSimulation.run(ConfigLoader.parse(simulation, "simulation", Map.of()),
                ImageDefinitionReader.read(def, List.of()), null);
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("cnn").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(2, rounds.size());
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(sites, rounds.get(r).succeeded(), "round " + (r + 1) + " cohort");
                assertEquals(sim.run().rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                        "round " + (r + 1) + " eval");
            }
            Path last = store.checkpoint(run.id(), rounds.size()).orElseThrow().path();
            float[] deployed = SafetensorsReader.read(last).parameters().flat();
            assertArrayEquals(sim.run().finalModel().flat(), deployed, "final model, bit for bit");
        }
        return sim;
    }
}
