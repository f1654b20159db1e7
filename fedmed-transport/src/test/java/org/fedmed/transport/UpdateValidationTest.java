package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
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
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.DType;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.wire.ModelChunker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Updates that must not reach the aggregator are rejected, the site is told why, and the round goes on. */
@Timeout(60)
class UpdateValidationTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static ModelParameters zero() {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2, 2}, new float[4]), new Tensor("b", new int[]{2}, new float[2])));
    }

    /** Runs one round with three sites, where site b misbehaves as told; returns the round and b's audit log. */
    static RoundRecord roundWithMisbehavingSite(TargetSite.Misbehaviour how, ServerSettings settings,
                                                RecordingAuditLog bAudit) throws Exception {
        try (TestFederation f = new TestFederation(settings)) {
            TargetSite b = new TargetSite("b", 2, 10);
            b.misbehaviour = how;
            b.badRound = 1;
            f.join(new TargetSite("a", 1, 10), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            f.join(b, TestFederation.ACCEPT_ALL, bAudit);
            f.join(new TargetSite("c", 6, 20), TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(3, WAIT));
            FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(2),
                    new FitConfig(1, 8, 0.1, false, 0), 1.0);
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(1), 3).withRoundDeadline(Duration.ofSeconds(20));
            RunResult run = new RoundEngine(fedavg, f.pool(), cfg, null).run(zero());
            assertEquals(-1, run.finalModel().firstNonFinite());
            assertEquals(0, f.pool().resultBytesHeld(), "every result's buffer budget is given back");
            return run.rounds().getFirst();
        }
    }

    static void assertRejected(RoundRecord round, RecordingAuditLog bAudit, String reasonPart) throws Exception {
        assertTrue(round.completed(), "the round goes on with the others");
        assertEquals(List.of("a", "c"), round.succeeded().stream().sorted().toList());
        SiteFailure f = round.failures().getFirst();
        assertEquals("b", f.siteId());
        assertEquals(SiteFailure.Kind.REJECTED, f.kind());
        assertTrue(f.reason().contains(reasonPart), f.reason());
        AuditEntry told = bAudit.await(e -> e.event() == AuditEntry.Event.REJECTED_BY_SERVER, WAIT).orElseThrow();
        assertEquals("r1-fit-b", told.taskId());
        assertTrue(told.reason().contains(reasonPart), "the site receives the reason: " + told.reason());
    }

    @Test
    void wrongShapeUpdateIsRejectedAndTheSiteIsToldWhy() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        RoundRecord r = roundWithMisbehavingSite(TargetSite.Misbehaviour.WRONG_SHAPE, ServerSettings.defaults(), audit);
        assertRejected(r, audit, "does not match the global model's [w[2, 2], b[2]]");
    }

    @Test
    void nanUpdateIsRejectedAndTheSiteIsToldWhy() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        RoundRecord r = roundWithMisbehavingSite(TargetSite.Misbehaviour.NAN, ServerSettings.defaults(), audit);
        assertRejected(r, audit, "value NaN in tensor 'b' (flat index 5) is not finite");
    }

    @Test
    void updateAboveTheNormBoundIsRejectedAndTheSiteIsToldWhy() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        RoundRecord r = roundWithMisbehavingSite(TargetSite.Misbehaviour.HUGE,
                ServerSettings.defaults().withMaxUpdateNorm(50), audit);
        assertRejected(r, audit, "exceeds the bound 50.0");
    }

    @Test
    void updatesWithinTheNormBoundAreAccepted() throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        RoundRecord r = roundWithMisbehavingSite(TargetSite.Misbehaviour.NONE,
                ServerSettings.defaults().withMaxUpdateNorm(50), audit);
        assertEquals(3, r.succeeded().size());
        assertTrue(r.failures().isEmpty());
    }

    // ---- protocol-level misbehaviour, from a hand-driven site -------------------------------------------

    /** Sends task to a raw site, lets {@code answer} reply, and returns the one outcome and the site's rejection. */
    static Object[] oneTask(Consumer<TaskHeader> answerWith, RawSite[] site, TestFederation f) throws Exception {
        return oneTask(answerWith, site, f, WAIT);
    }

    static Object[] oneTask(Consumer<TaskHeader> answerWith, RawSite[] site, TestFederation f, Duration rejectionWait)
            throws Exception {
        site[0].hello("a");
        assertNotNull(site[0].await(ServerMessage::hasWelcome, WAIT));
        assertTrue(f.pool().awaitSites(1, WAIT));
        FitTask task = new FitTask(1, "a", zero(), new FitConfig(1, 8, 0.1, false, 3));
        List<Object> outcomes = new ArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() ->
                f.pool().fit(List.of(task), Duration.ofSeconds(20), SiteFailureTest.sink(outcomes)));
        float[][] model = new float[1][];
        TaskHeader h = site[0].awaitTask(model, WAIT);
        assertNotNull(h);
        answerWith.accept(h);
        done.get();
        ServerMessage rejection = site[0].await(ServerMessage::hasRejection, rejectionWait);
        return new Object[]{outcomes, rejection};
    }

    static ResultHeader.Builder header(TaskHeader h, long payloadBytes) {
        return ResultHeader.newBuilder().setTaskId(h.getTaskId()).setKind(h.getKind()).setRound(h.getRound())
                .setNumExamples(5).setQuality(1).setLayout(h.getLayout()).setPayloadBytes(payloadBytes);
    }

    static Consumer<TaskHeader> sending(RawSite[] site, java.util.function.Function<TaskHeader, List<SiteMessage>> msgs) {
        return h -> msgs.apply(h).forEach(site[0]::send);
    }

    @Test
    void resultForAnotherRoundIsRejected() throws Exception {
        rejectedWithRaw(h -> List.of(result(header(h, 24).setRound(7))), "result is for round 7 but task 'r1-fit-a' is in round 1");
    }

    @Test
    void resultNamingAnotherTaskIsRejected() throws Exception {
        rejectedWithRaw(h -> List.of(result(header(h, 24).setTaskId("r1-fit-z"))),
                "result names task 'r1-fit-z' but the open task is 'r1-fit-a'");
    }

    @Test
    void resultInAnotherDtypeIsRejected() throws Exception {
        rejectedWithRaw(h -> List.of(result(header(h, 24).setLayout(h.getLayout().toBuilder().setDtype(DType.DTYPE_UNSPECIFIED)))),
                "dtype DTYPE_UNSPECIFIED is not supported");
    }

    @Test
    void payloadLongerThanDeclaredIsRejected() throws Exception {
        rejectedWithRaw(h -> {
            List<SiteMessage> m = new ArrayList<>(chunks(h, new float[6]));
            Chunk last = m.getLast().getChunk();
            m.set(m.size() - 1, chunk(last.toBuilder().setData(ByteString.copyFrom(new byte[12])).build()));
            return m;
        }, "payload runs past its declared 24 bytes");
    }

    @Test
    void declaredPayloadAboveTheModelLimitIsRejectedBeforeAnyIsBuffered() throws Exception {
        rejectedWithRaw(h -> List.of(result(header(h, 1L << 40))), "exceeds max_model_bytes");
    }

    @Test
    void payloadWithAWrongChecksumIsRejected() throws Exception {
        rejectedWithRaw(h -> {
            List<SiteMessage> m = new ArrayList<>(chunks(h, new float[]{1, 2, 3, 4, 5, 6}));
            Chunk last = m.getLast().getChunk();
            m.set(m.size() - 1, chunk(last.toBuilder().setCrc32C(last.getCrc32C() ^ 1).build()));
            return m;
        }, "CRC32C of the payload");
    }

    @Test
    void resultWithoutExamplesIsRejected() throws Exception {
        rejectedWithRaw(h -> List.of(result(header(h, 24).setNumExamples(0))), "num_examples must be >= 1");
    }

    @Test
    void wellFormedRawResultIsDeliveredBitForBit() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults());
             RawSite raw = new RawSite(f.channelFor("a"))) {
            float[] sent = {1.5f, -2.25f, 3e-30f, 4, 5, Float.MIN_VALUE};
            RawSite[] site = {raw};
            Object[] r = oneTask(sending(site, h -> chunks(h, sent)), site, f, Duration.ofMillis(300));
            @SuppressWarnings("unchecked") List<Object> outcomes = (List<Object>) r[0];
            FitResult result = (FitResult) outcomes.getFirst();
            assertEquals("a", result.siteId());
            assertEquals(5, result.numExamples());
            assertTrue(java.util.Arrays.equals(sent, result.parameters().flat()));
            assertEquals(null, r[1], "no rejection");
            assertFalse(raw.isEnded());
        }
    }

    private static void rejectedWithRaw(java.util.function.Function<TaskHeader, List<SiteMessage>> answer, String reasonPart)
            throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults());
             RawSite raw = new RawSite(f.channelFor("a"))) {
            RawSite[] site = {raw};
            Object[] r = oneTask(sending(site, answer), site, f);
            @SuppressWarnings("unchecked") List<Object> outcomes = (List<Object>) r[0];
            assertEquals(1, outcomes.size());
            SiteFailure failure = (SiteFailure) outcomes.getFirst();
            assertEquals(SiteFailure.Kind.REJECTED, failure.kind());
            assertTrue(failure.reason().contains(reasonPart), failure.reason());
            ServerMessage rejection = (ServerMessage) r[1];
            assertNotNull(rejection, "the site is told");
            assertTrue(rejection.getRejection().getReason().contains(reasonPart), rejection.getRejection().getReason());
            assertEquals(0, f.pool().resultBytesHeld());
            assertTrue(f.pool().availableSites().contains("a"), "a rejected site stays connected");
        }
    }

    static SiteMessage result(ResultHeader.Builder h) {
        return SiteMessage.newBuilder().setResult(h).build();
    }

    static SiteMessage chunk(Chunk c) {
        return SiteMessage.newBuilder().setChunk(c).build();
    }

    static List<SiteMessage> chunks(TaskHeader h, float[] values) {
        List<SiteMessage> m = new ArrayList<>();
        m.add(result(header(h, 4L * values.length)));
        ModelChunker chunker = new ModelChunker(h.getTaskId(), values, 8);
        while (chunker.hasNext()) {
            m.add(chunk(chunker.next()));
        }
        return m;
    }
}
