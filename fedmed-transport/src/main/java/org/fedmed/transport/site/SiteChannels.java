package org.fedmed.transport.site;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;
import org.fedmed.transport.EventLoops;
import org.fedmed.transport.WireLimits;

/**
 * Opens the channels a site dials its server on, with the protocol's message size limit. The stream's callbacks
 * run on the channel's event loop, and messages are never buffered for a retry. Every channel of the process runs on
 * {@link #LOOPS}, so a session can tell which loop its stream is on and send from it ({@code SiteSession}).
 */
public final class SiteChannels {

    /**
     * The event loops of every channel this class opens ({@link EventLoops}: epoll where it loads, NIO elsewhere), on
     * daemon threads that live as long as the process.
     */
    static final EventLoopGroup LOOPS = EventLoops.group("fedmed-site-net");

    private SiteChannels() {
    }

    /**
     * A channel to {@code host:port}. The host must match a name or IP address in the server certificate.
     *
     * @param credentials the site's mutual-TLS credentials (see {@code MutualTls.siteCredentials})
     */
    public static ManagedChannel open(String host, int port, ChannelCredentials credentials, WireLimits limits) {
        return NettyChannelBuilder.forAddress(host, port, credentials)
                .eventLoopGroup(LOOPS)
                .channelType(EventLoops.socketChannel())
                .maxInboundMessageSize(limits.maxMessageBytes())
                // The stream's callbacks run on the channel's event loop, with no hand-off to an executor: a
                // site's channel carries only its own stream, and the work a task asks for runs on the site's worker.
                .directExecutor()
                // Each message is serialized as it is sent (never kept for a retry), which the reusing chunker
                // relies on; a site redials itself when its stream breaks.
                .disableRetry()
                .build();
    }

    /**
     * Opens a new channel to {@code host:port} each time it is asked, for a connection that dials every time on a
     * fresh channel ({@link SiteConnection#dialing}).
     */
    public static Supplier<ManagedChannel> dialer(String host, int port, ChannelCredentials credentials,
                                                  WireLimits limits) {
        return () -> open(host, port, credentials, limits);
    }
}
