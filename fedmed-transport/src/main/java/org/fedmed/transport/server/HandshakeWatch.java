package org.fedmed.transport.server;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFactory;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedmed.transport.EventLoops;

/**
 * Reports every connection whose TLS handshake fails, with the peer's address and the reason TLS gave, to
 * {@link FederationEvents#handshakeRefused}. gRPC has no hook for a failed handshake (its transport filters and
 * interceptors see only connections that completed one), so this watches at the socket: the server's listening
 * channel puts a watcher at the head of every accepted connection, and on the connection's first bytes the watcher
 * subscribes to the outcome of the TLS handshake that gRPC set up, then removes itself.
 *
 * <p>Why this design: it only observes. Client authentication stays {@code REQUIRE} and the handshake is decided
 * by TLS alone, exactly as without the watcher, so a peer with no certificate, one from another CA or an expired
 * one is refused by TLS before any HTTP/2 frame is read and no call of it is ever served. The alternatives give
 * that up or lose the address: requesting client authentication as optional and refusing unauthenticated peers
 * later would let them complete a handshake and send requests, and a wrapped trust manager sees neither the peer
 * address (server-side engines carry none) nor a client that sends no certificate (TLS refuses that before any
 * trust manager is asked).
 */
final class HandshakeWatch {

    private static final System.Logger LOG = System.getLogger(HandshakeWatch.class.getName());
    private static final int MAX_CAUSES = 4;

    private HandshakeWatch() {
    }

    /** Listening channels ({@link EventLoops}) that watch the handshake of every connection they accept. */
    static ChannelFactory<ServerChannel> serverChannels(FederationEvents events) {
        return () -> {
            ServerChannel listening = EventLoops.newServerChannel();
            listening.pipeline().addLast(new Acceptor(events));
            return listening;
        };
    }

    /** On the listening channel, which reads accepted connections: puts a watcher first on each. */
    private static final class Acceptor extends ChannelInboundHandlerAdapter {

        private final FederationEvents events;

        Acceptor(FederationEvents events) {
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(new Watcher(events));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * First on an accepted connection. By its first read gRPC has installed the connection's TLS handler; the
     * watcher subscribes to that handshake and steps out of the pipeline.
     */
    private static final class Watcher extends ChannelInboundHandlerAdapter {

        private final FederationEvents events;

        Watcher(FederationEvents events) {
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            SocketAddress remote = ctx.channel().remoteAddress();
            if (tls != null) {
                tls.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) {
                        refused(remote, f.cause());
                    }
                });
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }

        private void refused(SocketAddress remote, Throwable cause) {
            String peer = remote == null ? "unknown" : remote.toString();
            String reason = reason(cause);
            LOG.log(System.Logger.Level.WARNING, "TLS handshake with {0} failed, the peer is refused: {1}", peer, reason);
            events.handshakeRefused(peer, reason);
        }
    }

    /**
     * What went wrong, in words, followed by the text TLS gave (the messages of {@code cause} and its causes,
     * outermost first, each once) in parentheses.
     */
    static String reason(Throwable cause) {
        List<String> parts = new ArrayList<>();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = cause; t != null && chain.size() < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
            String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        String tls = parts.isEmpty() ? "no detail" : String.join(": ", parts);
        return plain(chain, tls) + " (" + tls + ")";
    }

    /** The common failures in words; the TLS text is matched on the stable error names that both engines use. */
    private static String plain(List<Throwable> chain, String tls) {
        if (chain.stream().anyMatch(t -> t instanceof CertificateExpiredException)) {
            return "the client certificate has expired";
        }
        if (chain.stream().anyMatch(t -> t instanceof CertificateNotYetValidException)) {
            return "the client certificate is not valid yet";
        }
        if (chain.stream().anyMatch(t -> t instanceof SslHandshakeTimeoutException)) {
            return "the TLS handshake timed out";
        }
        if (chain.stream().anyMatch(t -> t instanceof NotSslRecordException)) {
            return "the peer does not speak TLS";
        }
        String text = tls.toUpperCase(Locale.ROOT);
        if (text.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || text.contains("EMPTY CLIENT CERTIFICATE CHAIN")
                || text.contains("CERTIFICATE_REQUIRED")) {
            return "no client certificate was presented";
        }
        if (text.contains("PKIX PATH BUILDING FAILED") || text.contains("UNABLE TO FIND VALID CERTIFICATION PATH")
                || text.contains("SIGNATURE CHECK FAILED") || text.contains("TRUST ANCHOR")) {
            return "the client certificate was not issued by the federation CA";
        }
        if (text.contains("ALERT")) {
            return "the peer ended the handshake, for example because it does not trust the server's certificate";
        }
        if (chain.stream().anyMatch(t -> t instanceof ClosedChannelException) || text.contains("CLOSED")
                || text.contains("REMOVED BEFORE HANDSHAKE")) {
            return "the connection closed during the TLS handshake";
        }
        return "the TLS handshake failed";
    }
}
