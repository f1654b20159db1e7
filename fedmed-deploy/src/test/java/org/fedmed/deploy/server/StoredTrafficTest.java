package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteTraffic;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run over real gRPC with mutual TLS on 127.0.0.1, recorded into a real SQLite store: the bytes the store holds for
 * each site, summed over the rounds, equal exactly the serialized sizes of the protocol messages the site's own gRPC
 * call sent and received (counted by an interceptor on the site's channel, independently of the server), and every
 * round's traffic carries at least the model payloads that went each way.
 */
@Timeout(60)
class StoredTrafficTest {

    static final List<String> SITES = List.of("hospital-a", "hospital-b");
    static final int PARAMETERS = 300;
    static final int ROUNDS = 2;

    @TempDir
    Path dir;

    /** Counts the serialized size of every message a site's call sends and receives. */
    static final class CountingInterceptor implements ClientInterceptor {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();

        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void sendMessage(Q message) {
                    sent.addAndGet(((MessageLite) message).getSerializedSize());
                    super.sendMessage(message);
                }

                @Override
                public void start(Listener<A> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onMessage(A message) {
                            received.addAndGet(((MessageLite) message).getSerializedSize());
                            super.onMessage(message);
                        }
                    }, headers);
                }
            };
        }
    }

    /** Moves every weight halfway to its target. */
    record TargetSite(String siteId, float target, long examples) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            float[] w = t.global().copyFlat();
            Random r = new Random(t.config().seed());
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.5f * (target - w[i]) + 0.01f * (float) r.nextGaussian();
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples,
                    1.0, Map.of("loss", 1.0 / t.round()));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(siteId, t.taskId(), examples, Map.of("log_loss", (double) Math.abs(t.global().flat()[0] - target)));
        }
    }

    @Test
    void storedBytesPerSiteEqualTheMessageSizesTheSitesCallSentAndReceived() throws Exception {
        Path fed = dir.resolve("kits");
        new Provisioner().provision(FederationSpec.of("traffic", new ServerAddress("127.0.0.1", 1), SITES), fed, false);
        KitLayout kits = new KitLayout(fed);
        ServerKit serverKit = ServerKit.load(kits.serverKit());
        // no heartbeat within the test, so that every message belongs to a round
        ServerSettings settings = ServerSettings.defaults().withHeartbeat(Duration.ofMinutes(10), Duration.ofMinutes(30));
        Map<String, CountingInterceptor> counted = new java.util.TreeMap<>();
        List<SiteConnection> connections = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        List<RoundRecord> stored;
        try (RunStore store = RunStore.open(dir.resolve("runs.db"));
             FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                     MutualTls.serverCredentials(serverKit.caCertificate(), serverKit.certificate(),
                             serverKit.privateKey()), new CommonNameAuthorizer(Set.copyOf(SITES)), settings)) {
            try {
                for (int i = 0; i < SITES.size(); i++) {
                    String site = SITES.get(i);
                    SiteKit kit = SiteKit.load(kits.siteKit(site));
                    ManagedChannel channel = SiteChannels.open("127.0.0.1", server.port(), MutualTls.siteCredentials(
                            kit.caCertificate(), kit.certificate(), kit.privateKey()), WireLimits.defaults());
                    channels.add(channel);
                    CountingInterceptor counter = new CountingInterceptor();
                    counted.put(site, counter);
                    SiteConnection c = new SiteConnection(ClientInterceptors.intercept(channel, counter),
                            SiteSettings.of(site), new TargetSite(site, i + 1, 10L * (i + 1)),
                            offer -> PolicyDecision.accept(), entry -> { });
                    connections.add(c);
                    c.start();
                }
                assertTrue(server.pool().awaitSites(SITES.size(), Duration.ofSeconds(20)), "both sites connect");

                long id = store.createRun("traffic", "{}", 7);
                var persisting = new PersistingRunListener(store, id,
                        CheckpointDirectory.forRun(dir.resolve("checkpoints"), id, 0), "{\"type\":\"linear\"}");
                var strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(SITES.size()),
                        new FitConfig(1, 8, 0.1, false, 0), 1.0);
                ModelParameters initial = ModelParameters.of(List.of(
                        new Tensor("w", new int[]{PARAMETERS - 1}, new float[PARAMETERS - 1]),
                        new Tensor("b", new int[]{1}, new float[1])));
                new RoundEngine(strategy, server.pool(), EngineConfig.of(StoppingRule.rounds(ROUNDS), 7), persisting)
                        .run(initial);
                stored = store.rounds(id);

                assertEquals(ROUNDS, stored.size());
                long payload = 4L * PARAMETERS;
                for (RoundRecord r : stored) {
                    assertEquals(Set.copyOf(SITES), r.traffic().keySet(), "round " + r.round());
                    for (String site : SITES) {
                        SiteTraffic t = r.traffic().get(site);
                        assertTrue(t.bytesSent() > 2 * payload, "round " + r.round() + ": " + site + " was sent a fit"
                                + " and an evaluation model of " + payload + " bytes each, counted " + t.bytesSent());
                        assertTrue(t.bytesReceived() > payload, "round " + r.round() + ": " + site + " sent back an"
                                + " update of " + payload + " bytes, counted " + t.bytesReceived());
                    }
                }
                for (String site : SITES) {
                    long sent = stored.stream().mapToLong(r -> r.traffic().get(site).bytesSent()).sum();
                    long received = stored.stream().mapToLong(r -> r.traffic().get(site).bytesReceived()).sum();
                    CountingInterceptor c = counted.get(site);
                    // the site's side of a message may still be in flight for an instant after the server's
                    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (c.received.get() != sent && System.nanoTime() < end) {
                        Thread.sleep(10);
                    }
                    assertEquals(c.received.get(), sent, site + ": bytes the server stored as sent, against what the"
                            + " site's call received");
                    assertEquals(c.sent.get(), received, site + ": bytes the server stored as received, against what"
                            + " the site's call sent");
                }
            } finally {
                for (SiteConnection c : connections) {
                    c.close();
                }
                for (ManagedChannel ch : channels) {
                    ch.shutdownNow();
                }
            }
        }
    }
}
