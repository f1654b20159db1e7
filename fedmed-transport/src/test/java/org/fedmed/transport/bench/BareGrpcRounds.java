package org.fedmed.transport.bench;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedmed.transport.EventLoops;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.tls.MutualTls;
import org.fedmed.transport.wire.FlowControlledSender;

/**
 * The same exchanges as a round over gRPC with mutual TLS, with none of fedmed's protocol: a server that sends each
 * of {@code n} site JVMs a 256-byte message and waits for every 128-byte answer, twice a round (a fit and an
 * evaluation), where each site answers on its event loop as the message arrives. The certificates, the cipher suites,
 * the Netty transport and event loops, and the direct executors are fedmed's; the messages are plain bytes with no
 * protobuf, no header and chunk, no validation and no hand-off to a worker. So its round is what grpc-java and TLS
 * themselves cost on this machine for a round's messages, the yardstick for how much of a deployed round fedmed's own
 * transport adds.
 *
 * <p>{@link #run} starts the site JVMs ({@code BareGrpcRounds HOST PORT CERT_DIR SITE_ID}, which live as long as the
 * JVM that started them) and stops them before it returns, also when it fails.
 */
public final class BareGrpcRounds {

    static final int TASK_BYTES = 256;
    static final int ANSWER_BYTES = 128;

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> EXCHANGE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Bare", "Exchange"))
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    /** One connected site as the server sees it: where to send its messages, and the loop its call runs on. */
    private record Peer(StreamObserver<byte[]> toSite, EventExecutor loop) {
    }

    private BareGrpcRounds() {
    }

    /**
     * Runs {@code rounds} rounds to {@code sites} site JVMs whose certificates ({@code bench-%03d}) and the server's
     * ({@code server}) are in {@code dir} with the CA's, and times rounds {@code rounds / 2 + 1 .. rounds} (the
     * CPU time is of this JVM and the site JVMs).
     */
    public static SecondHalfTimer.Timed run(int rounds, int sites, Path dir) throws Exception {
        List<Peer> peers = new CopyOnWriteArrayList<>();
        CountDownLatch[] answers = {new CountDownLatch(0)};
        EventLoopGroup network = EventLoops.group("bare-server-net");
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Bare")
                .addMethod(EXCHANGE, ServerCalls.asyncBidiStreamingCall(toSite -> {
                    peers.add(new Peer(toSite, FlowControlledSender.loopOfThisThread(network)));
                    return new StreamObserver<>() {
                        @Override
                        public void onNext(byte[] answer) {
                            answers[0].countDown();
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    };
                })).build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        MutualTls.serverCredentials(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                                dir.resolve("server.key")))
                .channelFactory(EventLoops::newServerChannel)
                .bossEventLoopGroup(network).workerEventLoopGroup(network)
                .addService(service).directExecutor().build().start();
        List<Process> siteJvms = new ArrayList<>();
        try {
            for (int k = 0; k < sites; k++) {
                siteJvms.add(TransferBench.startJvm("512m", List.of(), BareGrpcRounds.class, "127.0.0.1",
                        Integer.toString(server.getPort()), dir.toString(), SiteFleet.siteId(k)));
            }
            if (!Eventually.holds(() -> peers.size() >= sites, Duration.ofMinutes(2))) {
                throw new IllegalStateException("only " + peers.size() + " of " + sites + " sites connected");
            }
            byte[] task = new byte[TASK_BYTES];
            SecondHalfTimer timer = new SecondHalfTimer(rounds, siteJvms);
            for (int r = 1; r <= rounds; r++) {
                for (int exchange = 0; exchange < 2; exchange++) { // the fit, then the evaluation
                    CountDownLatch latch = new CountDownLatch(sites);
                    answers[0] = latch;
                    for (Peer p : peers) {
                        p.loop().execute(() -> p.toSite().onNext(task));
                    }
                    if (!latch.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("round " + r + ": " + latch.getCount() + " answers missing");
                    }
                }
                timer.roundEnded(r);
            }
            return timer.timed();
        } finally {
            for (Process p : siteJvms) {
                p.destroy();
            }
            for (Process p : siteJvms) {
                p.waitFor();
            }
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            network.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** A site: {@code HOST PORT CERT_DIR SITE_ID}; answers every message at once, until the JVM that started it ends. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[2]);
        String id = args[3];
        ManagedChannel channel = NettyChannelBuilder.forAddress(args[0], Integer.parseInt(args[1]),
                        MutualTls.siteCredentials(dir.resolve("ca.pem"), dir.resolve(id + ".pem"),
                                dir.resolve(id + ".key")))
                .eventLoopGroup(EventLoops.group("bare-site-net")).channelType(EventLoops.socketChannel())
                .directExecutor().disableRetry().build();
        byte[] answer = new byte[ANSWER_BYTES];
        StreamObserver<byte[]>[] toServer = new StreamObserver[1];
        toServer[0] = ClientCalls.asyncBidiStreamingCall(channel.newCall(EXCHANGE, io.grpc.CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] task) {
                        toServer[0].onNext(answer); // on the channel's event loop, where the task arrived
                    }

                    @Override
                    public void onError(Throwable t) {
                        System.exit(1);
                    }

                    @Override
                    public void onCompleted() {
                        System.exit(0);
                    }
                });
        toServer[0].onNext(answer); // the server learns of the stream when its first message arrives
        var parent = ProcessHandle.current().parent();
        if (parent.isPresent()) {
            parent.get().onExit().join();
        }
        System.exit(0);
    }
}
