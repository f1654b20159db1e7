package org.fedmed.transport.support;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;

/**
 * Site 'a' connected over mutual TLS on 127.0.0.1 to a test's own server (a scripted {@link BindableService}
 * playing a server this build would not be), counting how often its policy reviewed a task and its client trained
 * one, and recording its audit entries. The connection is made but not started; {@link #close()} stops the site,
 * its channel and the server.
 */
public final class ScriptedServerSite implements AutoCloseable {

    public final AtomicInteger reviewed = new AtomicInteger();
    public final AtomicInteger trained = new AtomicInteger();
    public final RecordingAuditLog audit = new RecordingAuditLog();
    public final SiteConnection connection;
    private final Server server;
    private final ManagedChannel channel;

    public ScriptedServerSite(BindableService service) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                TestFederation.PKI.serverCredentials(TestFederation.PKI.server())).addService(service).build().start();
        TargetSite site = new TargetSite("a", 1, 10) {
            @Override
            public FitResult fit(FitTask t) throws Exception {
                trained.incrementAndGet();
                return super.fit(t);
            }
        };
        channel = SiteChannels.open("127.0.0.1", server.getPort(),
                TestFederation.PKI.siteCredentials(TestFederation.PKI.site("a")), WireLimits.defaults());
        connection = new SiteConnection(channel, TestFederation.siteSettings("a"), site, offer -> {
            reviewed.incrementAndGet();
            return TestFederation.ACCEPT_ALL.review(offer);
        }, audit);
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
