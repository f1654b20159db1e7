package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.cli.FedmedCommand;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.deploy.site.JsonLinesAuditLog;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site revoked with {@code fedmed provision revoke} while a run is going is cut within one reload interval of
 * the server's revocation list: it is told why, records it and exits with status 3, and both audit logs say so.
 * The run finishes with the other sites, which serve this one run only ({@code --once}) and leave when the server
 * announces its end.
 */
@Timeout(300)
class LiveRevocationProcessesTest {

    static final int ROUNDS = 150;
    static final Duration RELOAD = Duration.ofSeconds(1);
    /** For starting and polling processes on a loaded machine; the bound itself is {@link #RELOAD}. */
    static final Duration MARGIN = Duration.ofSeconds(10);
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 2
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 3
            round_deadline_seconds: 60
            """.formatted(ROUNDS);
    static final List<String> SITES = List.of("cleveland", "hungary", "va");

    @Test
    void siteRevokedMidRunIsCutWithinOneReloadIntervalAndTheRunEndsWithoutIt(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", SITES);
        Path serverYaml = fed.serverConfig("server.yaml", "revocation", 3, TRAINING,
                "crl_reload_seconds: " + RELOAD.toSeconds());
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : SITES) {
                processes.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}").toString(), "--once"));
            }
            FedmedProcess hungary = processes.get(2);
            FedmedProcess.await(() -> sentTasks(fed.auditLog("hungary")) >= 3, Duration.ofSeconds(120),
                    "hungary to take part in the run");

            assertEquals(0, FedmedCommand.commandLine().execute("provision", "revoke", "--kit",
                    fed.layout.root().toString(), "--site", "hungary"));
            long revoked = System.nanoTime();
            assertEquals(3, hungary.awaitExit(RELOAD.plus(MARGIN)), "hungary is cut and stops: " + hungary.output());
            System.out.printf(java.util.Locale.ROOT, "revoked site exited %.2f s after the revocation (reload"
                    + " interval %d s)%n", (System.nanoTime() - revoked) / 1e9, RELOAD.toSeconds());
            assertTrue(hungary.output().contains("the server refused site 'hungary'")
                    && hungary.output().contains("was revoked at"), hungary.output());

            assertEquals(0, server.awaitExit(Duration.ofSeconds(180)), server.output());
            assertTrue(server.output().contains("cut site(s) [hungary]"), server.output());
            for (FedmedProcess site : List.of(processes.get(1), processes.get(3))) {
                assertEquals(0, site.awaitExit(Duration.ofSeconds(30)), site.output());
                assertTrue(site.output().contains("the run it took part in has ended; leaving (--once)"), site.output());
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        List<Map<String, Object>> hungaryLog = JsonLinesAuditLog.read(fed.auditLog("hungary"));
        Map<String, Object> last = hungaryLog.getLast();
        assertEquals("refused_by_server", last.get("event"), hungaryLog.toString());
        assertTrue(((String) last.get("reason")).contains("was revoked at"), last.toString());
        for (String site : List.of("cleveland", "va")) {
            List<Map<String, Object>> log = JsonLinesAuditLog.read(fed.auditLog(site));
            assertEquals("run_ended", log.getLast().get("event"), site + ": " + log.getLast());
        }

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("revocation").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(ROUNDS, rounds.size());
            assertEquals(List.of("cleveland", "va"), rounds.getLast().succeeded().stream().sorted().toList());
            List<AuditEntry> audit = store.auditLog(run.id());
            AuditEntry cut = audit.stream().filter(a -> a.event() == AuditEvent.ADMISSION_REFUSED
                    && a.actor().equals("hungary")).findFirst().orElseThrow(() -> new AssertionError(audit.toString()));
            assertTrue(cut.detail().startsWith("cut while connected: ") && cut.detail().contains("was revoked at"),
                    cut.detail());
            assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.LEFT && a.actor().equals("hungary")
                    && a.id() > cut.id() && a.detail().contains("its admission was withdrawn")), audit.toString());
        }
    }

    /** How many results the site's audit log records as sent. */
    private static long sentTasks(Path auditLog) {
        if (!auditLog.toFile().isFile()) {
            return 0;
        }
        return JsonLinesAuditLog.read(auditLog).stream().filter(e -> "sent".equals(e.get("event"))).count();
    }
}
