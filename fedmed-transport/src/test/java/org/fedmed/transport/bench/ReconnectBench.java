package org.fedmed.transport.bench;

import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.support.TestPki;

/**
 * How long a site on default settings takes to rejoin a server that was down for a while: the server is closed,
 * stays down for the given outage, and is started again on the same port; the time from its restart to the site's
 * next Welcome is printed. {@code fresh} dials every time on a new channel (as {@code fedmed site} does);
 * {@code shared} redials on one long-lived channel, the way sites dialed before, for comparison.
 *
 * <p>Usage: {@code ReconnectBench [outage seconds=40] [fresh|shared]}.
 */
public final class ReconnectBench {

    private ReconnectBench() {
    }

    public static void main(String[] args) throws Exception {
        long outage = args.length > 0 ? Long.parseLong(args[0]) : 40;
        boolean shared = args.length > 1 && args[1].equals("shared");
        TestPki pki = TestPki.create("reconnect-bench-ca");
        TestPki.Credential serverCert = pki.server();
        TestPki.Credential siteCert = pki.site("a");
        CommonNameAuthorizer members = new CommonNameAuthorizer(Set.of("a"));
        FederationServer first = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                pki.serverCredentials(serverCert), members, ServerSettings.defaults());
        int port = first.port();
        ManagedChannel channel = SiteChannels.open("127.0.0.1", port, pki.siteCredentials(siteCert), WireLimits.defaults());
        SiteSettings settings = SiteSettings.of("a");
        SiteConnection site = shared
                ? new SiteConnection(channel, settings, idle(), offer -> PolicyDecision.accept(), entry -> { })
                : SiteConnection.dialing(SiteChannels.dialer("127.0.0.1", port, pki.siteCredentials(siteCert),
                        WireLimits.defaults()), settings, idle(), offer -> PolicyDecision.accept(), entry -> { });
        site.start();
        if (!site.awaitConnected(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the site did not join: " + site.lastError().orElse("no error"));
        }
        first.close();
        Thread.sleep(outage * 1000);
        FederationServer second = FederationServer.start(new InetSocketAddress("127.0.0.1", port),
                pki.serverCredentials(serverCert), members, ServerSettings.defaults());
        long up = System.nanoTime();
        while (site.timesJoined() < 2 && System.nanoTime() - up < Duration.ofMinutes(5).toNanos()) {
            Thread.sleep(10);
        }
        System.out.printf(Locale.ROOT, "%s channel, outage %d s: rejoined %.1f s after the restart (bound %d s)%n",
                shared ? "shared" : "fresh", outage, (System.nanoTime() - up) / 1e9, settings.reconnectBound().toSeconds());
        site.close();
        channel.shutdownNow();
        second.close();
    }

    private static SiteClient idle() {
        return new SiteClient() {
            @Override
            public String siteId() {
                return "a";
            }

            @Override
            public FitResult fit(FitTask task) {
                throw new IllegalStateException("no task is sent");
            }

            @Override
            public EvalResult evaluate(EvalTask task) {
                throw new IllegalStateException("no task is sent");
            }
        };
    }
}
