package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.deploy.site.SitePersonalModelFile;
import org.fedmed.deploy.site.SitePreprocessingFile;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.export.ModelPredictor;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.FederatedSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personalization in deployment: one {@code fedmed server} and four {@code fedmed site --once} processes train
 * Fed-Heart-Disease with FedPer (a one-hidden-layer MLP whose head, {@code dense1.}, each hospital keeps; the server
 * resolves {@code personal_layers} against the model and sends the tensor indices with every fit) or with Ditto
 * (logistic regression, lambda 0.5); each site's allow-list accepts them by default, and each site reports its
 * personal model's metrics ({@code personal_*}) in every evaluation. Against {@code fedmed simulate}'s {@code personalized} regime for the same config and seed, with zero
 * tolerance: every round's federated and per-site metrics (personal ones included) in the run store, the final global
 * model, and each site's final personal metrics are equal; and each site writes its personal model (FedPer: the final
 * global body with its own head) beside its audit log, whose recorded test metrics are the simulated site's. The
 * FedPer and Ditto runs also match with the server killed mid-run and resumed; with fine-tuning, the sites' last
 * evaluation reports the simulated personalized regime's metrics per site.
 */
@Timeout(300)
class PersonalizationProcessesMatchSimulationTest {

    static final String FEDPER = """
            dataset: heart-disease
            model: {type: mlp, hidden: [8]}
            strategy: fedavg
            rounds: 4
            min_fit_sites: 4
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            personalization: {kind: fedper, personal_layers: [dense1.]}
            """;

    static final String DITTO = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 4
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            personalization: {kind: ditto, lambda: 0.5}
            """;

    /** FedPer with rounds short enough (a tenth of a second or so) that a kill after round 3 lands mid-run. */
    static final int RESUMED_ROUNDS = 20;
    static final String FEDPER_LONG = """
            dataset: heart-disease
            model: {type: mlp, hidden: [16]}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 4
            local_epochs: 8
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            personalization: {kind: fedper, personal_layers: [dense1.]}
            """.formatted(RESUMED_ROUNDS);

    /** Ditto with rounds short enough that a kill after round 3 lands mid-run. */
    static final String DITTO_LONG = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 4
            local_epochs: 8
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            personalization: {kind: ditto, lambda: 0.5}
            """.formatted(RESUMED_ROUNDS);

    static final String FINETUNE = """
            dataset: heart-disease
            model: {type: mlp, hidden: [8]}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 4
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            personalization: {kind: finetune, epochs: 3}
            """;

    /** What both runs compare: the simulated run and what the deployment left in the store and at the sites. */
    record Outcome(ComparisonReport sim, List<RoundRecord> rounds, float[] global, Map<String, SafetensorsFile> saved,
                   Map<String, JsonNode> provenance) {
    }

    @Test
    void fedPerServerAndFourSitesReachTheSimulatedGlobalModelAndEachSitesPersonalMetrics(@TempDir Path tmp)
            throws Exception {
        Outcome o = deployAndSimulate(tmp, "heart-fedper", FEDPER, "{type: mlp, hidden: [8]}", false);
        ParameterLayout layout = o.sim().personalizedRun().finalModel().layout();
        ParameterLayout.Entry head = layout.entries().get(2);
        assertEquals("dense1.weight", head.name());
        for (String site : Federation.HOSPITALS) {
            float[] own = o.saved().get(site).parameters().flat();
            int body = head.offset();
            assertArrayEquals(Arrays.copyOf(o.global(), body), Arrays.copyOf(own, body),
                    site + ": the personal model's body is the final global one");
            assertFalse(Arrays.equals(Arrays.copyOfRange(o.global(), head.offset(), head.offset() + head.size()),
                    Arrays.copyOfRange(own, head.offset(), head.offset() + head.size())),
                    site + ": the personal model's head is the site's own");
            assertEquals("[\"dense1.weight\",\"dense1.bias\"]",
                    o.provenance().get(site).path("personalization").path("personal_tensors").toString());
        }
    }

    @Test
    void dittoServerAndFourSitesReachTheSimulatedGlobalModelAndEachSitesPersonalMetrics(@TempDir Path tmp)
            throws Exception {
        Outcome o = deployAndSimulate(tmp, "heart-ditto", DITTO, "{type: logistic}", false);
        for (String site : Federation.HOSPITALS) {
            assertFalse(Arrays.equals(o.global(), o.saved().get(site).parameters().flat()),
                    site + ": Ditto's personal model is the site's own, not the global one");
            assertEquals("ditto v1 [0.5]", o.saved().get(site).metadata().get(SitePersonalModelFile.PERSONALIZATION));
        }
    }

    /**
     * The server is killed (SIGKILL) mid-run and restarted with {@code --resume} while the sites keep running: each
     * site kept its head across the restart and trains the round the server lost again from the head that round
     * started from, so every round, the final global model and each site's personal metrics are still an
     * uninterrupted simulation's, bit for bit.
     */
    @Test
    void aKilledFedPerServerResumesToTheSimulatedModelAndPersonalMetricsBitForBit(@TempDir Path tmp) throws Exception {
        Outcome o = deployAndSimulate(tmp, "heart-fedper-resumed", FEDPER_LONG, "{type: mlp, hidden: [16]}", true);
        assertEquals(RESUMED_ROUNDS, o.rounds().size());
    }

    /**
     * Fine-tuning: the server runs plain FedAvg and, with the evaluation of the last round, asks each site to
     * fine-tune the final global model on its own training rows. Every round's per-site evaluation of the global
     * model and the final global model are {@code simulate}'s federated regime's; only the last round reports
     * {@code personal_} metrics, and each site's are {@code simulate}'s {@code personalized} regime's for that site,
     * as are the test metrics of the personal model file each site writes.
     */
    @Test
    void fineTuningSitesReportTheSimulatedPersonalizedMetricsWithTheLastEvaluation(@TempDir Path tmp)
            throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", "heart-finetune", 4, FINETUNE);
        MatchedRun.runToEnd(fed, serverYaml, tmp.resolve("logs"), "fedavg", "{type: mlp, hidden: [8]}",
                MatchedRun.PER_SITE_DATA);
        ComparisonReport sim = MatchedRun.simulate(FINETUNE + MatchedRun.PER_SITE_SIMULATION
                .replace("[federated]", "[federated, personalized]"));
        Map<String, Map<String, Double>> simPersonal = sim.regimes().get("personalized").sites();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("heart-finetune").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(3, rounds.size());
            for (int r = 0; r < rounds.size(); r++) {
                Map<String, Map<String, Double>> global = new LinkedHashMap<>();
                rounds.get(r).siteEvalMetrics().forEach((site, m) -> {
                    Map<String, Double> own = new LinkedHashMap<>(m);
                    own.keySet().removeIf(k -> k.startsWith(ClassificationMetrics.PERSONAL_PREFIX));
                    global.put(site, own);
                });
                assertEquals(sim.federated().rounds().get(r).siteEvalMetrics(), global, "round " + (r + 1));
                boolean personal = rounds.get(r).siteEvalMetrics().values().stream().anyMatch(m -> m.keySet()
                        .stream().anyMatch(k -> k.startsWith(ClassificationMetrics.PERSONAL_PREFIX)));
                assertEquals(r == rounds.size() - 1, personal, "round " + (r + 1) + " has personal metrics");
            }
            float[] deployed = SafetensorsReader.read(store.checkpoint(run.id(), 3).orElseThrow().path())
                    .parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final global model, bit for bit");
            for (String site : Federation.HOSPITALS) {
                Map<String, Double> stored = rounds.getLast().siteEvalMetrics().get(site);
                assertFalse(simPersonal.get(site).isEmpty(), site);
                simPersonal.get(site).forEach((name, v) -> assertEquals(v,
                        stored.get(ClassificationMetrics.PERSONAL_PREFIX + name), site + " personalized " + name));
                Path file = SitePersonalModelFile.beside(fed.auditLog(site));
                assertTrue(SafetensorsReader.read(file).metadata().get(SitePersonalModelFile.PERSONALIZATION)
                        .startsWith("finetune 3 local epochs, batch 32, lr 0.1, seed "), site);
                JsonNode p = new ObjectMapper().readTree(ModelExporter.provenancePath(file).toFile());
                simPersonal.get(site).forEach((name, v) -> assertEquals(v, p.path("test_metrics").path(name)
                        .asDouble(), site + " file's " + name));
            }
        }
    }

    /**
     * The server is killed (SIGKILL) mid-run and restarted with {@code --resume} while the sites keep running: each
     * site kept its Ditto personal model (and the personal model's own batch order) across the restart and trains the
     * round the server lost again from the personal model that round started from, so every round, the final global
     * model and each site's personal metrics and personal model file are an uninterrupted simulation's, bit for bit.
     */
    @Test
    void aKilledDittoServerResumesToTheSimulatedModelAndPersonalMetricsBitForBit(@TempDir Path tmp) throws Exception {
        Outcome o = deployAndSimulate(tmp, "heart-ditto-resumed", DITTO_LONG, "{type: logistic}", true);
        assertEquals(RESUMED_ROUNDS, o.rounds().size());
        for (String site : Federation.HOSPITALS) {
            assertEquals("ditto v1 [0.5]", o.saved().get(site).metadata().get(SitePersonalModelFile.PERSONALIZATION));
        }
    }

    /**
     * Runs {@code training} with a server and four {@code site --once} processes approving {@code spec}, then
     * {@code simulate}'s personalized regime of the same config, and asserts what both kinds share: the run completed
     * with every site in every round, every round's federated and per-site metrics (personal ones included) and the
     * final global model are the simulated run's, each site's final personal metrics in the store are the simulated
     * personalized regime's, and each site wrote its personal model file, whose recorded test metrics are them too.
     */
    static Outcome deployAndSimulate(Path tmp, String runName, String training, String spec, boolean killAndResume)
            throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", runName, 4, training);
        List<FedmedProcess> processes = new ArrayList<>();
        List<FedmedProcess> sites = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", tmp.resolve("logs"), "server", "--config",
                    serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                FedmedProcess p = FedmedProcess.start(site, tmp.resolve("logs"), "site", "--once", "--config",
                        fed.siteConfig(site, site, "fedavg", spec, MatchedRun.PER_SITE_DATA).toString());
                processes.add(p);
                sites.add(p);
            }
            if (killAndResume) {
                FedmedProcess.await(() -> recorded(fed, runName) >= 3, Duration.ofSeconds(180), "3 recorded rounds");
                server.kill();
                server = FedmedProcess.start("server-resumed", tmp.resolve("logs"), "server", "--config",
                        serverYaml.toString(), "--resume");
                processes.add(server);
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(240)), server.output());
            if (killAndResume) {
                Matcher m = Pattern.compile("resuming run '" + runName + "' \\(id 1\\) after round (\\d+)")
                        .matcher(server.output());
                assertTrue(m.find(), server.output());
                int after = Integer.parseInt(m.group(1));
                assertTrue(after >= 3 && after < RESUMED_ROUNDS, "killed mid-run, after round " + after);
            }
            for (FedmedProcess site : sites) {
                assertEquals(0, site.awaitExit(Duration.ofSeconds(30)), site.output());
                assertTrue(site.output().contains("its personal model from this run is in"), site.output());
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        ComparisonReport sim = simulate(training);
        FederatedSummary simRun = sim.personalizedRun();
        Map<String, Map<String, Double>> simPersonal = sim.regimes().get("personalized").sites();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun(runName).orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(simRun.rounds().size(), rounds.size(), "rounds run");
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(Federation.HOSPITALS, rounds.get(r).succeeded(), "round " + (r + 1) + " cohort");
                assertEquals(simRun.rounds().get(r).evalMetrics(), rounds.get(r).evalMetrics(),
                        "round " + (r + 1) + " eval");
                assertEquals(simRun.rounds().get(r).siteEvalMetrics(), rounds.get(r).siteEvalMetrics(),
                        "round " + (r + 1) + " per-site eval, personal metrics included");
            }
            float[] global = SafetensorsReader.read(store.checkpoint(run.id(), rounds.size()).orElseThrow().path())
                    .parameters().flat();
            assertArrayEquals(simRun.finalModel().flat(), global, "final global model, bit for bit");

            Map<String, SafetensorsFile> saved = new LinkedHashMap<>();
            Map<String, JsonNode> provenance = new LinkedHashMap<>();
            for (String site : Federation.HOSPITALS) {
                Map<String, Double> stored = rounds.getLast().siteEvalMetrics().get(site);
                Map<String, Double> personal = new LinkedHashMap<>();
                simPersonal.get(site).forEach((name, v) -> personal.put(ClassificationMetrics.PERSONAL_PREFIX + name, v));
                assertFalse(personal.isEmpty(), site);
                personal.forEach((name, v) -> assertEquals(v, stored.get(name), site + " " + name));

                Path file = SitePersonalModelFile.beside(fed.auditLog(site));
                saved.put(site, SafetensorsReader.read(file));
                JsonNode p = new ObjectMapper().readTree(ModelExporter.provenancePath(file).toFile());
                provenance.put(site, p);
                simPersonal.get(site).forEach((name, v) -> assertEquals(v, p.path("test_metrics").path(name).asDouble(),
                        site + " file's " + name));
                ModelPredictor predictor = ModelPredictor.load(file, Optional.empty(),
                        Optional.of(SitePreprocessingFile.beside(fed.auditLog(site))));
                assertEquals(p.path("inputs").size(), predictor.inputs().size(), site + ": fedmed predict loads it");
            }
            return new Outcome(sim, rounds, global, saved, provenance);
        }
    }

    private static int recorded(Federation fed, String run) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun(run).map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** {@code simulate}'s personalized regime of {@code training}, its sites' data prepared as deployed sites do. */
    static ComparisonReport simulate(String training) {
        return MatchedRun.simulate(training + MatchedRun.PER_SITE_SIMULATION.replace("[federated]", "[personalized]"));
    }
}
