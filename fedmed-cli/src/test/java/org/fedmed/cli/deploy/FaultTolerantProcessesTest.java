package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.deploy.site.JsonLinesAuditLog;
import org.fedmed.pki.SiteKit;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment under faults, all in one run of real processes: a member sending NaN, misshapen and oversized
 * updates, a site whose allow-list refuses the federation's strategy, a site killed in the middle of a round and
 * restarted, and the server killed and restarted with {@code --resume}. Every round still completes, the killed
 * site rejoins, no completed round is lost, and the exported model is the last round's.
 */
@Timeout(600)
class FaultTolerantProcessesTest {

    static final int ROUNDS = 14;
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: mlp, hidden: [128, 128]}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 2
            local_epochs: 10
            batch_size: 16
            lr: 0.05
            seed: 7
            round_deadline_seconds: 120
            """.formatted(ROUNDS);
    static final String SPEC = "{type: mlp, hidden: [128, 128]}";

    @Test
    void roundsCompleteThroughBadUpdatesRefusalsAndKilledProcessesAndNothingIsLost(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        List<String> members = new ArrayList<>(Federation.HOSPITALS);
        members.addAll(List.of("strict", "rogue"));
        Federation fed = Federation.provision(tmp, "heart", members);
        Path serverYaml = fed.serverConfig("server.yaml", "faults", 6, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        List<RoundRecord> beforeKill;
        int killedInRound;
        try (RogueSite rogue = new RogueSite(SiteKit.load(fed.layout.siteKit("rogue")))) {
            FedmedProcess server = start(processes, logs, "server", "server", "--config", serverYaml.toString());
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                start(processes, logs, site, "site", "--config", fed.siteConfig(site, site, "fedavg", SPEC).toString());
            }
            start(processes, logs, "strict", "site", "--config",
                    fed.siteConfig("strict", "cleveland", "quality", SPEC).toString());

            FedmedProcess va = processes.get(4);
            killedInRound = awaitFitInProgress(fed.auditLog("va"), 3);
            va.kill();
            start(processes, logs, "va-restarted", "site", "--config",
                    fed.siteConfig("va", "va", "fedavg", SPEC).toString());

            awaitRecordedRounds(fed, killedInRound + 3);
            server.kill();
            try (RunStore store = RunStore.open(fed.store())) {
                beforeKill = store.rounds(store.latestRun("faults").orElseThrow().id());
            }
            FedmedProcess resumed = start(processes, logs, "server-resumed", "server", "--config",
                    serverYaml.toString(), "--resume");
            assertEquals(0, resumed.awaitExit(Duration.ofSeconds(400)), resumed.output());
            assertTrue(resumed.output().contains("resuming run 'faults'"), resumed.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("faults").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(IntStream.rangeClosed(1, ROUNDS).boxed().toList(),
                    rounds.stream().map(RoundRecord::round).toList(), "every round, once");
            assertTrue(rounds.stream().allMatch(r -> r.completed() && r.succeeded().size() >= 2), "all rounds completed");
            for (RoundRecord before : beforeKill) {
                RoundRecord after = rounds.get(before.round() - 1);
                assertEquals(before.evalMetrics(), after.evalMetrics(), "round " + before.round() + " kept as recorded");
                assertEquals(before.succeeded(), after.succeeded(), "round " + before.round() + " kept as recorded");
            }

            // va was killed with a fit of round k in progress; on a loaded machine its result can just have left, and
            // then the kill fails its evaluation of round k or its fit of round k + 1
            RoundRecord cut = rounds.subList(killedInRound - 1, Math.min(ROUNDS, killedInRound + 1)).stream()
                    .filter(r -> r.failures().stream().anyMatch(f -> f.siteId().equals("va"))).findFirst()
                    .orElseThrow(() -> new AssertionError("va failed in neither round " + killedInRound + " nor the"
                            + " next: " + rounds.subList(killedInRound - 1, Math.min(ROUNDS, killedInRound + 1))));
            assertTrue(cut.succeeded().containsAll(List.of("cleveland", "hungary", "switzerland")), cut.toString());
            assertTrue(rounds.stream().skip(cut.round()).anyMatch(r -> r.succeeded().contains("va")),
                    "va rejoined and delivered again");

            assertTrue(failureReason(rounds, 1, "rogue").contains("is not finite"), failureReason(rounds, 1, "rogue"));
            assertTrue(failureReason(rounds, 2, "rogue").contains("does not match the global model"),
                    failureReason(rounds, 2, "rogue"));
            assertTrue(failureReason(rounds, 3, "rogue").contains("exceeds the bound"), failureReason(rounds, 3, "rogue"));
            assertTrue(rounds.stream().noneMatch(r -> r.succeeded().contains("rogue") || r.succeeded().contains("strict")));

            List<AuditEntry> audit = store.auditLog(run.id());
            assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.RUN_RESUMED), "resume is audited");
            assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.REFUSED && a.actor().equals("strict")
                    && a.detail().contains("strategy 'fedavg' is not allowed")), "strict's refusals reach the server");

            List<Map<String, Object>> strictLog = JsonLinesAuditLog.read(fed.auditLog("strict")).stream()
                    .filter(e -> e.get("kind") != null).toList();
            assertTrue(!strictLog.isEmpty() && strictLog.stream().allMatch(e -> e.get("event").equals("refused")),
                    "the strict site ran nothing: " + strictLog);
            FedmedProcess verifyStore = FedmedProcess.start("verify-store", logs, "runs", "--config",
                    serverYaml.toString(), "--verify-audit");
            assertEquals(0, verifyStore.awaitExit(Duration.ofSeconds(60)), "the audit chain holds across the killed"
                    + " and resumed server: " + verifyStore.output());
            FedmedProcess verifyVa = FedmedProcess.start("verify-va", logs, "site", "--verify-audit", "--config",
                    fed.siteConfig("va", "va", "fedavg", SPEC).toString());
            assertEquals(0, verifyVa.awaitExit(Duration.ofSeconds(60)), "the killed site's audit chain holds: "
                    + verifyVa.output());

            Path exported = tmp.resolve("model.safetensors");
            FedmedProcess export = FedmedProcess.start("export", logs, "export", "--config", serverYaml.toString(),
                    "--out", exported.toString());
            assertEquals(0, export.awaitExit(Duration.ofSeconds(60)), export.output());
            Path last = store.checkpoint(run.id(), ROUNDS).orElseThrow().path();
            assertArrayEquals(SafetensorsReader.read(last).parameters().flat(),
                    SafetensorsReader.read(exported).parameters().flat(), "the export is the last round's model");

            // the export names the inputs; with a site's own preprocessing file it scores that site's raw rows
            Path prep = org.fedmed.deploy.site.SitePreprocessingFile.beside(fed.auditLog("cleveland"));
            var predictor = org.fedmed.sim.export.ModelPredictor.load(exported, java.util.Optional.empty(),
                    java.util.Optional.of(prep));
            var provenance = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    org.fedmed.server.export.ModelExporter.provenancePath(exported).toFile());
            List<String> named = new ArrayList<>();
            provenance.get("inputs").forEach(n -> named.add(n.asText()));
            assertEquals(predictor.inputs(), named);
            Path csv = org.fedmed.data.registry.DatasetRegistry.fromEnvironment().resolve("heart-disease")
                    .file("cleveland.csv");
            Path scored = tmp.resolve("scored.csv");
            int rows = predictor.predictCsv(csv, scored);
            assertEquals(java.nio.file.Files.readAllLines(csv).size() - 1, rows);
            assertTrue(java.nio.file.Files.readAllLines(scored).getFirst().endsWith(",probability,prediction"));
        }
    }

    private static FedmedProcess start(List<FedmedProcess> all, Path logs, String name, String... args) {
        FedmedProcess p = FedmedProcess.start(name, logs, args);
        all.add(p);
        return p;
    }

    /** Waits until the site's audit log shows a fit task of round >= {@code minRound} accepted and not yet answered. */
    private static int awaitFitInProgress(Path auditLog, int minRound) throws InterruptedException {
        int[] round = {0};
        FedmedProcess.await(() -> {
            if (!auditLog.toFile().isFile()) {
                return false;
            }
            List<Map<String, Object>> lines = JsonLinesAuditLog.read(auditLog);
            if (lines.isEmpty()) {
                return false;
            }
            Map<String, Object> last = lines.getLast();
            int r = ((Number) last.get("round")).intValue();
            if (last.get("event").equals("accepted") && Objects.equals(last.get("kind"), "fit") && r >= minRound) {
                round[0] = r;
                return true;
            }
            return false;
        }, Duration.ofSeconds(180), "a fit in progress at the site");
        return round[0];
    }

    private static void awaitRecordedRounds(Federation fed, int rounds) throws InterruptedException {
        FedmedProcess.await(() -> {
            try (RunStore store = RunStore.open(fed.store())) {
                return store.lastRecordedRound(store.latestRun("faults").orElseThrow().id()).orElse(0) >= rounds;
            }
        }, Duration.ofSeconds(240), rounds + " recorded rounds");
    }

    private static String failureReason(List<RoundRecord> rounds, int round, String site) {
        return rounds.get(round - 1).failures().stream().filter(f -> f.siteId().equals(site))
                .map(SiteFailure::reason).findFirst().orElse("(no failure of " + site + " in round " + round + ")");
    }
}
