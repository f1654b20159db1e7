package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.DType;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.Refusal;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.proto.TensorSpec;
import org.fedmed.transport.proto.Welcome;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.ScriptedServerSite;
import org.fedmed.transport.wire.FitSettingsCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A site refused on a stream acts on nothing the server sends after the refusal on that stream, over real gRPC with
 * mutual TLS: a server (played by a scripted one) that sends a refusal, or a Welcome of another protocol version,
 * and then a complete fit task on the same stream gets no review, no training, no audit entry and no answer for it.
 * The same script without the refusal has the site review, train and answer the task, so the checks can fail.
 */
@Timeout(60)
class NothingAfterARefusalIsActedOnTest {

    /** What the scripted server sends after the site's Hello. */
    enum Script { WELCOME_THEN_TASK, REFUSAL_THEN_TASK, OTHER_VERSION_THEN_TASK }

    static final TaskHeader TASK = TaskHeader.newBuilder().setTaskId("r1-fit-a")
            .setKind(org.fedmed.transport.proto.TaskKind.FIT).setRound(1).setStrategy("fedavg")
            .setModelSpec("{\"type\":\"logistic\"}")
            .setLayout(ModelLayout.newBuilder().setDtype(DType.FLOAT32_LE)
                    .addTensors(TensorSpec.newBuilder().setName("w").addShape(2)))
            .setPayloadBytes(8).setFit(FitSettingsCodec.toWire(new FitConfig(LocalWork.epochs(1), 4, 0.1, false, 3)))
            .build();

    static ServerMessage modelChunk() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f).array();
        CRC32C crc = new CRC32C();
        crc.update(data);
        return ServerMessage.newBuilder().setChunk(Chunk.newBuilder().setTaskId(TASK.getTaskId()).setSeq(0)
                .setData(ByteString.copyFrom(data)).setLast(true).setCrc32C((int) crc.getValue())).build();
    }

    static final class ScriptedServer extends FederationGrpc.FederationImplBase {
        final BlockingQueue<SiteMessage> received = new LinkedBlockingQueue<>();
        final Script script;

        ScriptedServer(Script script) {
            this.script = script;
        }

        @Override
        public StreamObserver<SiteMessage> connect(StreamObserver<ServerMessage> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SiteMessage m) {
                    received.add(m);
                    if (!m.hasHello()) {
                        return;
                    }
                    int version = script == Script.OTHER_VERSION_THEN_TASK ? ProtocolVersion.CURRENT + 1
                            : ProtocolVersion.CURRENT;
                    synchronized (out) {
                        out.onNext(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                                .setProtocolVersion(version).setSiteId(m.getHello().getSiteId())
                                .setHeartbeatIntervalMs(1000).setMaxModelBytes(1 << 20).setChunkBytes(1 << 16))
                                .build());
                        if (script == Script.REFUSAL_THEN_TASK) {
                            out.onNext(ServerMessage.newBuilder().setRefusal(Refusal.newBuilder()
                                    .setReason("site 'a' was revoked")).build());
                        }
                        // in one burst, as a task the server had queued before it cut the site would follow
                        out.onNext(ServerMessage.newBuilder().setTask(TASK).build());
                        out.onNext(modelChunk());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            };
        }
    }

    /** What the site did with the task after the script. */
    record Outcome(int reviewed, int trained, List<AuditEntry> audit, List<SiteMessage> received,
                   SiteConnection.State state) {
    }

    static Outcome run(Script script) throws Exception {
        ScriptedServer server = new ScriptedServer(script);
        try (ScriptedServerSite site = new ScriptedServerSite(server)) {
            site.connection.start();
            if (script == Script.WELCOME_THEN_TASK) {
                site.audit.await(e -> e.event() == AuditEntry.Event.SENT, Duration.ofSeconds(20)).orElseThrow();
                // written once the result is on the wire; the scripted server reads it a moment later
                Eventually.holds(() -> server.received.stream().anyMatch(SiteMessage::hasResult),
                        Duration.ofSeconds(10));
            } else {
                site.audit.await(e -> e.event() == AuditEntry.Event.REFUSED_BY_SERVER, Duration.ofSeconds(20))
                        .orElseThrow();
                // the task and its model were sent right after; give the site the time it would take to act on them
                Thread.sleep(1500);
            }
            return new Outcome(site.reviewed.get(), site.trained.get(), site.audit.entries(),
                    List.copyOf(server.received), site.connection.state());
        }
    }

    @Test
    void aTaskThatFollowsARefusalOnTheStreamIsNeitherReviewedNorTrainedNorAnswered() throws Exception {
        Outcome o = run(Script.REFUSAL_THEN_TASK);
        assertEquals(SiteConnection.State.REFUSED, o.state());
        assertQuiet(o);
    }

    @Test
    void aTaskThatFollowsAWelcomeOfAnotherProtocolVersionIsNeitherReviewedNorTrainedNorAnswered() throws Exception {
        Outcome o = run(Script.OTHER_VERSION_THEN_TASK);
        assertEquals(SiteConnection.State.REFUSED, o.state());
        assertQuiet(o);
    }

    @Test
    void withoutTheRefusalTheSameTaskIsReviewedTrainedAndAnswered() throws Exception {
        Outcome o = run(Script.WELCOME_THEN_TASK);
        assertEquals(1, o.reviewed());
        assertEquals(1, o.trained());
        assertTrue(o.audit().stream().anyMatch(e -> e.event() == AuditEntry.Event.ACCEPTED), o.audit().toString());
        assertTrue(o.received().stream().anyMatch(SiteMessage::hasResult), o.received().toString());
    }

    private static void assertQuiet(Outcome o) {
        assertEquals(0, o.reviewed(), "the site's policy never saw the task");
        assertEquals(0, o.trained(), "the site never trained");
        assertTrue(o.audit().stream().noneMatch(e -> e.event() != AuditEntry.Event.REFUSED_BY_SERVER),
                "the only audit entry is the refusal: " + o.audit());
        assertTrue(o.received().stream().allMatch(m -> m.hasHello() || m.hasHeartbeat()),
                "the site sent the server nothing but its Hello and heartbeats: " + o.received());
    }
}
