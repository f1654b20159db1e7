package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.wire.ModelChunker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sites that drop, straggle or fall silent: recorded, cut, and let back in. */
@Timeout(60)
class SiteFailureTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static ModelParameters zero() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{4}, new float[4])));
    }

    static FederatedAveraging fedavg(int minSites) {
        return new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(minSites),
                new FitConfig(1, 8, 0.1, false, 0), 1.0);
    }

    @Test
    void siteKilledWhileTrainingIsAnErrorTheRoundCompletesAndTheSiteRejoinsALaterRound() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            TargetSite a = new TargetSite("a", 1, 10);
            TargetSite b = new TargetSite("b", 2, 10);
            TargetSite c = new TargetSite("c", 6, 20);
            c.misbehaviour = TargetSite.Misbehaviour.BLOCK;
            c.badRound = 2;
            RecordingAuditLog cAudit = new RecordingAuditLog();
            f.join(a, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(b, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            SiteConnection cConn = f.join(c, TestFederation.ACCEPT_ALL, cAudit);
            assertTrue(f.pool().awaitSites(3, WAIT));

            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    if (c.training.await(30, TimeUnit.SECONDS)) {
                        cConn.dropConnection("site process killed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            RunListener waitForRejoin = new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, ModelParameters global) {
                    if (record.round() == 2) {
                        try {
                            assertTrue(f.pool().awaitSites(3, WAIT), "site c reconnects");
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(3), 7).withRoundDeadline(Duration.ofSeconds(20));
            RunResult run = new RoundEngine(fedavg(2), f.pool(), cfg, waitForRejoin).run(zero());
            killer.join();

            RoundRecord round2 = run.rounds().get(1);
            assertTrue(round2.completed());
            assertEquals(List.of("a", "b"), sorted(round2.succeeded()));
            SiteFailure failure = round2.failures().getFirst();
            assertEquals("c", failure.siteId());
            assertEquals(SiteFailure.Kind.ERROR, failure.kind());
            assertTrue(failure.reason().contains("disconnected during the task"), failure.reason());
            assertEquals(List.of("a", "b", "c"), sorted(run.rounds().get(2).succeeded()), "c takes part in round 3");
            assertEquals(2, cConn.timesJoined());
            assertTrue(cAudit.await(e -> e.taskId().equals("r2-fit-c") && e.event() == AuditEntry.Event.CANCELLED, WAIT)
                    .isPresent(), "the site records the abandoned task");
        }
    }

    @Test
    void stragglerIsCutAtTheDeadlineAsTimeoutAndTakesPartAgainNextRound() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            TargetSite slow = new TargetSite("a", 1, 10);
            slow.misbehaviour = TargetSite.Misbehaviour.BLOCK; // until the cut interrupts it
            slow.badRound = 1;
            RecordingAuditLog slowAudit = new RecordingAuditLog();
            f.join(slow, TestFederation.ACCEPT_ALL, slowAudit);
            f.join(new TargetSite("b", 2, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(new TargetSite("c", 6, 20), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(3, WAIT));
            // long enough for b and c to answer a first round over mutual TLS on a loaded machine
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(2), 7).withRoundDeadline(Duration.ofSeconds(5));
            RunResult run = new RoundEngine(fedavg(2), f.pool(), cfg, null).run(zero());

            RoundRecord first = run.rounds().getFirst();
            assertTrue(first.completed());
            assertEquals(List.of("b", "c"), sorted(first.succeeded()));
            SiteFailure cut = first.failures().getFirst();
            assertEquals(SiteFailure.Kind.TIMEOUT, cut.kind());
            assertEquals("a", cut.siteId());
            assertTrue(cut.reason().contains("5000 ms"), cut.reason());
            AuditEntry cancelled = slowAudit.await(e -> e.taskId().equals("r1-fit-a")
                    && e.event() == AuditEntry.Event.CANCELLED, WAIT).orElseThrow();
            assertTrue(cancelled.reason().contains("deadline"), cancelled.reason());
            assertEquals(List.of("a", "b", "c"), sorted(run.rounds().get(1).succeeded()));
        }
    }

    @Test
    void lateResultAfterTheDeadlineIsDroppedAndTheSiteIsTold() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults()); RawSite late = new RawSite(f.channelFor("a"))) {
            late.hello("a");
            assertNotNull(late.await(ServerMessage::hasWelcome, WAIT));
            assertTrue(f.pool().awaitSites(1, WAIT));
            ModelParameters global = zero();
            FitTask task = new FitTask(1, "a", global, new FitConfig(1, 8, 0.1, false, 3));
            List<Object> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            // The fit runs while the site takes the task in, so the deadline cannot cut it before it was sent.
            Thread fit = Thread.ofVirtual().start(() -> f.pool().fit(List.of(task), Duration.ofSeconds(2),
                    sink(outcomes)));
            float[][] model = new float[1][];
            TaskHeader h = late.awaitTask(model, WAIT);
            assertNotNull(h, "the task reaches the site");
            assertEquals(task.taskId(), h.getTaskId());
            assertTrue(fit.join(WAIT), "the fit ends at its deadline");
            assertEquals(1, outcomes.size());
            SiteFailure failure = (SiteFailure) outcomes.getFirst();
            assertEquals(SiteFailure.Kind.TIMEOUT, failure.kind());

            assertNotNull(late.await(ServerMessage::hasCancel, WAIT), "the server cancels the task at the deadline");
            sendFit(late, h, new float[]{1, 1, 1, 1});
            ServerMessage rejection = late.await(ServerMessage::hasRejection, WAIT);
            assertNotNull(rejection);
            assertTrue(rejection.getRejection().getReason().contains("it was cut: no answer within the round deadline"),
                    rejection.getRejection().getReason());
            assertEquals(1, outcomes.size(), "the late result reaches no sink");
            assertEquals(0, f.pool().resultBytesHeld());
        }
    }

    @Test
    void silentSiteIsDroppedAtTheHeartbeatTimeout() throws Exception {
        ServerSettings s = ServerSettings.defaults().withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500));
        try (TestFederation f = new TestFederation(s); RawSite silent = new RawSite(f.channelFor("a"))) {
            silent.hello("a");
            assertNotNull(silent.await(ServerMessage::hasWelcome, WAIT));
            assertNotNull(silent.await(ServerMessage::hasHeartbeat, WAIT), "the server sends heartbeats");
            Throwable end = silent.awaitEnd(WAIT);
            Status status = Status.fromThrowable(end);
            assertEquals(Status.Code.UNAVAILABLE, status.getCode());
            assertTrue(status.getDescription().contains("heartbeat timeout 500 ms"), status.getDescription());
            assertEquals(List.of(), f.pool().availableSites());
        }
    }

    @Test
    void siteThatKeepsBeatingStaysConnected() throws Exception {
        // Beats ten times within the timeout, so a pause of the machine shorter than a second cannot drop it.
        ServerSettings s = ServerSettings.defaults().withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
        try (TestFederation f = new TestFederation(s)) {
            SiteConnection a = f.join(new TargetSite("a", 1, 1), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(a.awaitConnected(WAIT));
            Thread.sleep(4000); // twice the timeout
            assertEquals(List.of("a"), f.pool().availableSites());
            assertEquals(1, a.timesJoined(), "never dropped");
        }
    }

    @Test
    void taskForASiteThatIsNotConnectedFailsAtOnce() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            List<Object> outcomes = new ArrayList<>();
            FitTask task = new FitTask(1, "ghost", zero(), new FitConfig(1, 8, 0.1, false, 3));
            f.pool().fit(List.of(task), Duration.ofSeconds(30), sink(outcomes));
            SiteFailure failure = (SiteFailure) outcomes.getFirst();
            assertEquals(SiteFailure.Kind.ERROR, failure.kind());
            assertEquals("site 'ghost' is not connected", failure.reason());
        }
    }

    static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    static OutcomeSink<FitResult> sink(List<Object> outcomes) {
        return new OutcomeSink<>() {
            @Override
            public void success(FitResult result) {
                outcomes.add(result);
            }

            @Override
            public void failure(SiteFailure failure) {
                outcomes.add(failure);
            }
        };
    }

    static void sendFit(RawSite site, TaskHeader task, float[] values) {
        site.send(SiteMessage.newBuilder().setResult(ResultHeader.newBuilder().setTaskId(task.getTaskId())
                .setKind(task.getKind()).setRound(task.getRound()).setNumExamples(5).setQuality(1)
                .setLayout(task.getLayout()).setPayloadBytes(4L * values.length).putMetrics("loss", 0.5)).build());
        ModelChunker chunker = new ModelChunker(task.getTaskId(), values, 1 << 20);
        while (chunker.hasNext()) {
            site.send(SiteMessage.newBuilder().setChunk(chunker.next()).build());
        }
    }

}
