package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.deploy.site.SitePersonalModelFile;
import org.fedmed.deploy.site.SiteStateFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.FederatedSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site process that dies in the middle of a run and is started again continues from its state file: one
 * {@code fedmed server} and four {@code fedmed site --once} processes run SCAFFOLD with local steps (each site's
 * control variate c_i and batch order) or Ditto (each site's personal model); mid-run the server and then one site
 * are killed (SIGKILL), the site is started again (it reads its state file, and restores it at the resumed run's
 * first task) and the server resumes. The final global model, every round's evaluation, and for Ditto each site's
 * personal metrics and personal model file, equal {@code fedmed simulate}'s for the same config and seed, bit for
 * bit: the restarted site trained on as the process that died would have.
 *
 * <p>The server is killed first because a site that dies under a live server fails its task of that round: the
 * round then completes without it or fails (and the next round is numbered on), a sequence of global models no
 * uninterrupted run has, so nothing could equal {@code simulate} bit for bit. A server killed first records no
 * failed round; on {@code --resume} it asks every site for the round it lost again.
 */
@Timeout(400)
class SiteRestartProcessesTest {

    static final int ROUNDS = 24;
    static final String SCAFFOLD = """
            dataset: heart-disease
            model: {type: mlp, hidden: [32]}
            strategy: scaffold
            rounds: %d
            min_fit_sites: 4
            local_steps: 60
            batch_size: 16
            lr: 0.05
            seed: 42
            round_deadline_seconds: 60
            """.formatted(ROUNDS);
    static final String DITTO = """
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
            """.formatted(ROUNDS);
    static final String KILLED = "cleveland";

    @Test
    void aScaffoldSiteKilledMidRunAndStartedAgainReachesTheSimulatedModelBitForBit(@TempDir Path tmp)
            throws Exception {
        Federation fed = killSiteAndResume(tmp, "scaffold-site-restart", SCAFFOLD, "scaffold",
                "{type: mlp, hidden: [32]}", "");
        ComparisonReport sim = MatchedRun.simulate(SCAFFOLD + "simulation: {regimes: [federated]}\n");
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("scaffold-site-restart").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            MatchedRun.assertSameRounds(sim, store.rounds(run.id()), ROUNDS);
            float[] deployed = SafetensorsReader.read(store.checkpoint(run.id(), ROUNDS).orElseThrow().path())
                    .parameters().flat();
            assertArrayEquals(sim.federated().finalModel().flat(), deployed, "final model, bit for bit");
        }
    }

    @Test
    void aDittoSiteKilledMidRunAndStartedAgainKeepsItsPersonalModelBitForBit(@TempDir Path tmp) throws Exception {
        Federation fed = killSiteAndResume(tmp, "ditto-site-restart", DITTO, "fedavg", "{type: logistic}",
                MatchedRun.PER_SITE_DATA);
        ComparisonReport sim = PersonalizationProcessesMatchSimulationTest.simulate(DITTO);
        FederatedSummary simRun = sim.personalizedRun();
        Map<String, Map<String, Double>> simPersonal = sim.regimes().get("personalized").sites();
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("ditto-site-restart").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(ROUNDS, rounds.size());
            for (int r = 0; r < rounds.size(); r++) {
                assertEquals(simRun.rounds().get(r).siteEvalMetrics(), rounds.get(r).siteEvalMetrics(),
                        "round " + (r + 1) + " per-site eval, personal metrics included");
            }
            float[] global = SafetensorsReader.read(store.checkpoint(run.id(), ROUNDS).orElseThrow().path())
                    .parameters().flat();
            assertArrayEquals(simRun.finalModel().flat(), global, "final global model, bit for bit");
            for (String site : Federation.HOSPITALS) {
                Map<String, Double> stored = rounds.getLast().siteEvalMetrics().get(site);
                simPersonal.get(site).forEach((name, v) -> assertEquals(v,
                        stored.get(ClassificationMetrics.PERSONAL_PREFIX + name), site + " personal " + name));
            }
            Path file = SitePersonalModelFile.beside(fed.auditLog(KILLED));
            var p = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    org.fedmed.server.export.ModelExporter.provenancePath(file).toFile());
            simPersonal.get(KILLED).forEach((name, v) -> assertEquals(v, p.path("test_metrics").path(name).asDouble(),
                    KILLED + " personal model file's " + name));
        }
    }

    /**
     * Runs {@code training} with a server and four {@code site --once} processes; after 3 recorded rounds kills the
     * server, then site {@value #KILLED}, starts the site again and resumes the server, and waits for every process
     * to end. Checks that the site came back from the state it wrote (after a round the server had reached) and
     * that the run ended with every site in every round.
     */
    static Federation killSiteAndResume(Path tmp, String runName, String training, String strategies, String spec,
                                        String dataKeys) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", runName, 4, training);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            List<FedmedProcess> sites = new ArrayList<>();
            for (String site : Federation.HOSPITALS) {
                FedmedProcess p = FedmedProcess.start(site, logs, "site", "--once", "--config",
                        fed.siteConfig(site, site, strategies, spec, dataKeys).toString());
                processes.add(p);
                sites.add(p);
            }
            FedmedProcess.await(() -> recorded(fed, runName) >= 3, Duration.ofSeconds(180), "3 recorded rounds");
            server.kill();
            FedmedProcess killed = sites.get(Federation.HOSPITALS.indexOf(KILLED));
            killed.kill();
            Path stateFile = SiteStateFile.beside(fed.auditLog(KILLED));
            assertTrue(Files.exists(stateFile), killed.output());
            SiteStateFile.Contents saved = SiteStateFile.read(stateFile);
            int reached;
            try (RunStore store = RunStore.open(fed.store())) {
                reached = store.lastRecordedRound(store.latestRun(runName).orElseThrow().id()).orElse(0);
            }
            assertTrue(saved.round() >= reached && saved.round() <= reached + 1 && saved.round() < ROUNDS,
                    "the state is of the last recorded round or the one after it: state round " + saved.round()
                            + ", recorded " + reached);

            FedmedProcess again = FedmedProcess.start(KILLED + "-restarted", logs, "site", "--once", "--config",
                    fed.siteConfig(KILLED, KILLED, strategies, spec, dataKeys).toString());
            processes.add(again);
            sites.set(Federation.HOSPITALS.indexOf(KILLED), again);
            again.awaitOutput("site state " + stateFile, Duration.ofSeconds(60));
            FedmedProcess resumed = FedmedProcess.start("server-resumed", logs, "server", "--config",
                    serverYaml.toString(), "--resume");
            processes.add(resumed);
            assertEquals(0, resumed.awaitExit(Duration.ofSeconds(240)), resumed.output());
            for (FedmedProcess site : sites) {
                assertEquals(0, site.awaitExit(Duration.ofSeconds(30)), site.output());
            }
            assertTrue(again.output().contains("restored its state of run '"), again.output());
            assertTrue(again.output().contains("after round " + saved.round() + " from " + stateFile), again.output());
            assertFalse(Files.exists(stateFile), "the end of the run deletes the state file");
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        return fed;
    }

    private static int recorded(Federation fed, String run) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun(run).map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
