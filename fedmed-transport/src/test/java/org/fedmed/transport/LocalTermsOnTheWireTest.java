package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.transport.proto.DType;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.LocalTermSetting;
import org.fedmed.transport.proto.ModelLayout;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.proto.TensorSpec;
import org.fedmed.transport.proto.Welcome;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.ScriptedServerSite;
import org.fedmed.transport.support.TestFederation;
import org.fedmed.transport.wire.FitSettingsCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Local terms over real gRPC with mutual TLS: a site sent a fit with a term it does not know refuses the task, naming
 * the term and version, before its policy or its trainer sees it (a newer server is played by a scripted one, since
 * this build's server only sends terms it knows); and a site of protocol version 3, which would skip the terms, is
 * refused at Hello.
 */
@Timeout(60)
class LocalTermsOnTheWireTest {

    /** Welcomes the site, then sends it one task header; records everything the site sends. */
    static final class ScriptedServer extends FederationGrpc.FederationImplBase {
        final BlockingQueue<SiteMessage> received = new LinkedBlockingQueue<>();
        final TaskHeader task;

        ScriptedServer(TaskHeader task) {
            this.task = task;
        }

        @Override
        public StreamObserver<SiteMessage> connect(StreamObserver<ServerMessage> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SiteMessage m) {
                    received.add(m);
                    if (m.hasHello()) {
                        synchronized (out) {
                            out.onNext(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                                    .setProtocolVersion(ProtocolVersion.CURRENT).setSiteId(m.getHello().getSiteId())
                                    .setHeartbeatIntervalMs(1000).setMaxModelBytes(1 << 20).setChunkBytes(1 << 16))
                                    .build());
                            out.onNext(ServerMessage.newBuilder().setTask(task).build());
                        }
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

    @Test
    void aFitWithAnUnknownTermIsRefusedNamingTheTermAndVersionAndNotTrained() throws Exception {
        FitConfig fit = new FitConfig(LocalWork.epochs(1), 4, 0.1, false, 3);
        TaskHeader task = TaskHeader.newBuilder().setTaskId("r1-fit-a").setKind(org.fedmed.transport.proto.TaskKind.FIT)
                .setRound(1).setStrategy("fedavg").setModelSpec("{\"type\":\"logistic\"}")
                .setLayout(ModelLayout.newBuilder().setDtype(DType.FLOAT32_LE)
                        .addTensors(TensorSpec.newBuilder().setName("w").addShape(2)))
                .setPayloadBytes(8)
                .setFit(FitSettingsCodec.toWire(fit).toBuilder().addTerms(LocalTermSetting.newBuilder()
                        .setName("scaffold").setVersion(3).addValues(0.5)))
                .build();
        ScriptedServer script = new ScriptedServer(task);
        try (ScriptedServerSite site = new ScriptedServerSite(script)) {
            site.connection.start();
            SiteMessage refused = null;
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (refused == null && System.nanoTime() < end) {
                SiteMessage m = script.received.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && m.hasTaskRefused()) {
                    refused = m;
                }
            }
            assertNotNull(refused, "the site answered the task with TaskRefused");
            String reason = "the fit asks for local term 'scaffold' version 3, which this site does not know; it trains "
                    + "no fit without its local terms";
            assertEquals("r1-fit-a", refused.getTaskRefused().getTaskId());
            assertEquals(reason, refused.getTaskRefused().getReason());
            AuditEntry entry = site.audit.await(e -> e.event() == AuditEntry.Event.REFUSED, Duration.ofSeconds(5))
                    .orElseThrow();
            assertEquals(reason, entry.reason());
            assertEquals(0, site.reviewed.get(), "the site's policy never saw the task");
            assertEquals(0, site.trained.get(), "the site never trained");
            assertTrue(script.received.stream().noneMatch(SiteMessage::hasResult));
        }
    }

    @Test
    void aVersionThreeSiteThatWouldSkipTheTermsIsRefusedAtHello() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults(),
                new CommonNameAuthorizer(Set.of("a")));
             RawSite raw = new RawSite(f.channelFor("a"))) {
            raw.hello("a", 3);
            ServerMessage m = raw.await(ServerMessage::hasRefusal, Duration.ofSeconds(10));
            assertNotNull(m);
            assertEquals("site 'a' speaks protocol version 3 but this build speaks version 5 (older peers are refused:"
                    + " upgrade site 'a' so both speak the same version)", m.getRefusal().getReason());
        }
    }
}
