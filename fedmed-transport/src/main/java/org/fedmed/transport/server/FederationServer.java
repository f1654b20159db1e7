package org.fedmed.transport.server;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedmed.transport.EventLoops;
import org.fedmed.transport.wire.AliasingMarshaller;

/**
 * The federation's gRPC endpoint. Sites dial in over mutual TLS; the server admits them through a
 * {@link PeerAuthorizer} and exposes them to the round engine as a {@link GrpcSitePool}:
 *
 * <pre>{@code
 * try (FederationServer server = FederationServer.start(new InetSocketAddress(7443),
 *         MutualTls.serverCredentials(ca, cert, key), authorizer, ServerSettings.defaults())) {
 *     server.pool().awaitSites(3, Duration.ofMinutes(5));
 *     new RoundEngine(strategy, server.pool(), engineConfig, listener).run(initial);
 * }
 * }</pre>
 *
 * <p>Every refusal is reported to its {@link FederationEvents}: a failed TLS handshake with the peer's address and
 * the reason TLS gave, a refused Hello, and a connected site cut by {@link #recheckAdmissions()}.
 */
public final class FederationServer implements AutoCloseable {

    private final Server server;
    private final GrpcSitePool pool;
    private final ScheduledExecutorService timers;
    private final ExecutorService background;
    private final EventLoopGroup network;

    private FederationServer(Server server, GrpcSitePool pool, ScheduledExecutorService timers, ExecutorService background,
                             EventLoopGroup network) {
        this.server = server;
        this.pool = pool;
        this.timers = timers;
        this.background = background;
        this.network = network;
    }

    /**
     * Binds {@code address} and starts accepting sites, reporting no {@linkplain FederationEvents events}.
     *
     * @param credentials server credentials that require client certificates (see {@code MutualTls})
     * @throws IOException if the address cannot be bound
     */
    public static FederationServer start(InetSocketAddress address, ServerCredentials credentials,
                                         PeerAuthorizer authorizer, ServerSettings settings) throws IOException {
        return start(address, credentials, authorizer, settings, FederationEvents.NONE);
    }

    /**
     * Binds {@code address} and starts accepting sites, reporting who joins, what is sent and what is refused to
     * {@code events}.
     *
     * @param credentials server credentials that require client certificates (see {@code MutualTls})
     * @param events      the audit listener; {@link FederationEvents#NONE} for none
     * @throws IOException if the address cannot be bound
     */
    public static FederationServer start(InetSocketAddress address, ServerCredentials credentials,
                                         PeerAuthorizer authorizer, ServerSettings settings,
                                         FederationEvents events) throws IOException {
        GuardedEvents guarded = new GuardedEvents(events);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fedmed-server-timer").daemon().factory());
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        EventLoopGroup network = EventLoops.group("fedmed-server-net");
        GrpcSitePool pool = new GrpcSitePool(settings, authorizer, guarded, background, network);
        Server server;
        try {
            server = NettyServerBuilder.forAddress(address, credentials)
                    .channelFactory(HandshakeWatch.serverChannels(guarded))
                    .bossEventLoopGroup(network)
                    .workerEventLoopGroup(network)
                    .addService(AliasingMarshaller.aliasing(
                            ServerInterceptors.intercept(new FederationService(pool), new PeerSessionInterceptor())))
                    .maxInboundMessageSize(settings.limits().maxMessageBytes())
                    // Stream callbacks run on the event loops: a message is parsed, checked and decoded where it
                    // arrived, with no hand-off to an executor (a Hello's admission, which may block, is handed off).
                    .directExecutor()
                    .build()
                    .start();
        } catch (IOException | RuntimeException e) {
            timers.shutdownNow();
            background.shutdownNow();
            network.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot start the federation server on " + address + ": " + e.getMessage(), e);
        }
        long every = settings.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(pool::tick, every, every, TimeUnit.MILLISECONDS);
        return new FederationServer(server, pool, timers, background, network);
    }

    /** The sites, for the round engine. */
    public GrpcSitePool pool() {
        return pool;
    }

    /** The port bound (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /**
     * Checks every admitted site's certificate against the authorizer again, for use right after the authorizer
     * re-read its site list or revocation list (see {@link PkiPeerAuthorizer#reload()}). A site that is no longer
     * admitted (revoked, expired, taken off the list) is cut at once: it is sent a Refusal with the reason, its
     * stream is closed, its open tasks fail as errors with that reason (so the round engine records why), and
     * {@link FederationEvents#admissionWithdrawn} reports it. Called after every reload, this closes a revoked
     * site's stream within one reload interval of the revocation reaching the server's files.
     *
     * @return the ids of the sites cut, sorted
     */
    public List<String> recheckAdmissions() {
        return pool.reauthorizeAll();
    }

    /**
     * Tells every connected site that the run is over ({@code RunEnded}, with {@code reason}) and ends their
     * streams normally. A site that serves one run only leaves; others redial. Call it when the round engine has
     * finished the run, before {@link #close()}.
     *
     * @return how many sites were told
     */
    public int endRun(String reason) {
        return pool.endRun(reason);
    }

    /** Disconnects every site (their open tasks fail) and stops the server. */
    @Override
    public void close() {
        pool.closeAll("the server is shutting down");
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        background.shutdownNow();
        network.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
