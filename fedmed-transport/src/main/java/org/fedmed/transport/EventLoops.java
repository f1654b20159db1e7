package org.fedmed.transport;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one choice of Netty transport for the server and the sites: epoll where Netty's native transport loads (Linux
 * on the architectures grpc-netty-shaded carries it for), NIO elsewhere. Groups, connection channels and listening
 * channels always come from the same choice, as Netty requires.
 */
public final class EventLoops {

    private static final boolean EPOLL = Epoll.isAvailable();

    private EventLoops() {
    }

    /** A group of event loops, two per core as Netty's default, on daemon threads named {@code name-...}. */
    public static EventLoopGroup group(String name) {
        return new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory(name, true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The class of a connection's channel on {@link #group} loops. */
    public static Class<? extends Channel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** A new listening channel for {@link #group} loops. */
    public static ServerChannel newServerChannel() {
        return EPOLL ? new EpollServerSocketChannel() : new NioServerSocketChannel();
    }
}
