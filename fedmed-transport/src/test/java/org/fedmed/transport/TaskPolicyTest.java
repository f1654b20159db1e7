package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.fedmed.transport.site.TaskPolicy;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A site's data-governance policy decides which tasks run; every task is recorded in its audit log. */
@Timeout(60)
class TaskPolicyTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static ModelParameters model() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
    }

    RunResult oneRound(TestFederation f) {
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(2),
                new FitConfig(2, 16, 0.05, false, 0), 1.0);
        EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 9).withRoundDeadline(Duration.ofSeconds(20));
        return new RoundEngine(fedavg, f.pool(), cfg, null).run(model());
    }

    @Test
    void taskThePolicyRefusesComesBackAsAFailureWithThePolicysReason() throws Exception {
        ServerSettings s = ServerSettings.defaults().withLabels("fedavg", "logreg-v2");
        List<TaskOffer> seen = new ArrayList<>();
        TaskPolicy onlyV1 = offer -> {
            synchronized (seen) {
                seen.add(offer);
            }
            return offer.modelSpec().equals("logreg-v1") ? PolicyDecision.accept()
                    : PolicyDecision.refuse("model spec '" + offer.modelSpec() + "' is not on this site's allow-list");
        };
        RecordingAuditLog cAudit = new RecordingAuditLog();
        try (TestFederation f = new TestFederation(s)) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("c", 6, 20), onlyV1, cAudit);
            assertTrue(f.pool().awaitSites(3, WAIT));
            RoundRecord round = oneRound(f).rounds().getFirst();

            assertTrue(round.completed());
            SiteFailure refused = round.failures().stream().filter(x -> x.siteId().equals("c")).findFirst().orElseThrow();
            assertEquals(SiteFailure.Kind.ERROR, refused.kind());
            assertEquals("site 'c' refused task 'r1-fit-c': model spec 'logreg-v2' is not on this site's allow-list",
                    refused.reason());
        }
        TaskOffer fit = seen.getFirst();
        assertEquals(TaskKind.FIT, fit.kind());
        assertEquals("fedavg", fit.strategy());
        assertEquals(model().layout(), fit.layout());
        assertEquals(12, fit.modelBytes());
        assertEquals(LocalWork.epochs(2), fit.fitConfig().work());
        assertEquals(0.05, fit.fitConfig().learningRate());
        AuditEntry e = cAudit.entries().getFirst();
        assertEquals(AuditEntry.Event.REFUSED, e.event());
        assertEquals("r1-fit-c", e.taskId());
        assertEquals(1, e.round());
        assertEquals(0, e.bytesSent());
        assertTrue(e.reason().contains("allow-list"));
        assertTrue(cAudit.entries().stream().noneMatch(x -> x.event() == AuditEntry.Event.ACCEPTED
                && x.kind() == TaskKind.FIT), "a refused fit never runs");
    }

    @Test
    void auditLogRecordsEveryTaskWithBytesAndMetricNamesButNoValues() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, audit);
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(2, WAIT));
            oneRound(f);
            audit.await(x -> x.taskId().equals("r1-eval-a") && x.event() == AuditEntry.Event.SENT, WAIT).orElseThrow();
        }
        List<AuditEntry> entries = audit.entries();
        assertEquals(List.of("r1-fit-a ACCEPTED", "r1-fit-a SENT", "r1-eval-a ACCEPTED", "r1-eval-a SENT"),
                entries.stream().map(x -> x.taskId() + " " + x.event()).toList());
        AuditEntry fitSent = entries.get(1);
        assertEquals(TaskKind.FIT, fitSent.kind());
        assertEquals(12, fitSent.bytesReceived());
        assertTrue(fitSent.bytesSent() > 12, "header and 12 payload bytes: " + fitSent.bytesSent());
        assertEquals(List.of("loss"), fitSent.metricKeys());
        AuditEntry evalSent = entries.get(3);
        assertEquals(TaskKind.EVALUATE, evalSent.kind());
        assertEquals(List.of("log_loss"), evalSent.metricKeys());
        assertEquals("", evalSent.reason());
    }

    @Test
    void policyThatThrowsCountsAsARefusal() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        TaskPolicy broken = offer -> {
            throw new IllegalStateException("allow-list file unreadable");
        };
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("c", 6, 20), broken, audit);
            assertTrue(f.pool().awaitSites(3, WAIT));
            RoundRecord round = oneRound(f).rounds().getFirst();
            SiteFailure refused = round.failures().stream().filter(x -> x.siteId().equals("c")).findFirst().orElseThrow();
            assertTrue(refused.reason().contains("task policy failed") && refused.reason().contains("allow-list file unreadable"),
                    refused.reason());
        }
        assertEquals(AuditEntry.Event.REFUSED, audit.entries().getFirst().event());
    }

    @Test
    void siteWhoseAuditLogFailsRunsNothing() throws Exception {
        TargetSite c = new TargetSite("c", 6, 20);
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(c, TestFederation.ACCEPT_ALL, entry -> {
                throw new IllegalStateException("audit disk full");
            }, TestFederation.siteSettings("c"), f.channelFor("c"));
            assertTrue(f.pool().awaitSites(3, WAIT));
            RoundRecord round = oneRound(f).rounds().getFirst();
            SiteFailure refused = round.failures().stream().filter(x -> x.siteId().equals("c")).findFirst().orElseThrow();
            assertTrue(refused.reason().contains("audit log is unavailable"), refused.reason());
            assertNull(round.siteEvalMetrics().get("c"));
        }
    }
}
