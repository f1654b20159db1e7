package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.pki.SiteKit;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import org.fedmed.server.store.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed federation of the four hospitals (separate site processes) plus a member that claims a billion
 * examples: its weight is capped at half of every round, its claims are in the store and the audit log, the server
 * never prints its perfect AUC as the round's, and {@code fedmed runs --claims} flags it. A member that answers on
 * 3 rows has none of its numbers kept anywhere on the server.
 */
@Timeout(300)
class LyingSiteProcessesTest {

    static final int ROUNDS = 5;
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 5
            local_epochs: 2
            seed: 7
            round_deadline_seconds: 60
            """.formatted(ROUNDS);

    @Test
    void aMemberClaimingABillionExamplesIsCappedFlaggedAndNotPrintedAndATinyCohortLeavesNoTrace(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        List<String> members = new ArrayList<>(Federation.HOSPITALS);
        members.add("liar");
        members.add("tiny");
        Federation fed = Federation.provision(tmp, "heart", members);
        Path serverYaml = fed.serverConfig("server.yaml", "liar-run", 6, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        FedmedProcess server;
        try (LyingMember liar = new LyingMember(SiteKit.load(fed.layout.siteKit("liar")));
             LyingMember tiny = new LyingMember(SiteKit.load(fed.layout.siteKit("tiny")), 3, 0.123)) {
            server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            for (String site : Federation.HOSPITALS) {
                processes.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}").toString()));
            }
            assertEquals(0, server.awaitExit(Duration.ofSeconds(240)), server.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        String printed = server.output();
        assertFalse(printed.contains("roc_auc 1.0000"), printed);
        assertFalse(printed.contains("0.123"), "the tiny cohort's AUC is printed nowhere: " + printed);
        assertTrue(printed.contains("site 'liar' claimed weight 1.00000e+09, capped at"), printed);
        assertTrue(printed.contains("(50% of the round)"), printed);
        assertTrue(printed.contains("median over sites"), printed);

        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("liar-run").orElseThrow();
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(ROUNDS, rounds.size());
            for (RoundRecord r : rounds) {
                assertEquals(LyingMember.CLAIMED, r.fitClaims().get("liar"));
                assertTrue(r.fitClaims().get("cleveland") > 100 && r.fitClaims().get("cleveland") < 303,
                        r.fitClaims().toString());
                assertTrue(r.evalMetrics().get("roc_auc") < 0.99, r.evalMetrics().toString());
            }
            for (RoundRecord r : rounds) {
                assertFalse(r.succeeded().contains("tiny") || r.siteEvalMetrics().containsKey("tiny"), r.toString());
                assertTrue(r.failures().stream().anyMatch(f -> f.siteId().equals("tiny")
                        && f.reason().contains("fewer than min_rows 10")), r.failures().toString());
            }
            for (String metric : List.of("roc_auc", "accuracy", "log_loss")) {
                assertTrue(store.metricSeries(run.id(), TaskKind.EVAL, "tiny", metric).isEmpty(), metric);
            }
            List<AuditEntry> capped = store.auditLog(run.id()).stream()
                    .filter(e -> e.event() == AuditEvent.WEIGHT_CAPPED).toList();
            assertEquals(ROUNDS, capped.size());
            assertTrue(capped.stream().allMatch(e -> e.actor().equals("liar") && e.detail().contains("share 0.500")),
                    capped.toString());
        }

        FedmedProcess claims = FedmedProcess.start("claims", logs, "runs", "--config", serverYaml.toString(),
                "--claims", "liar-run");
        assertEquals(0, claims.awaitExit(Duration.ofSeconds(60)), claims.output());
        String liarLine = claims.output().lines().filter(l -> l.startsWith("liar ")).findFirst().orElse("");
        assertTrue(liarLine.contains("1000000000") && liarLine.endsWith("FLAGGED"), claims.output());
        String clevelandLine = claims.output().lines().filter(l -> l.startsWith("cleveland ")).findFirst().orElse("");
        assertFalse(clevelandLine.contains("FLAGGED"), claims.output());
    }
}
