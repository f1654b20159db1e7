package org.fedmed.cli.deploy;

import io.grpc.ManagedChannel;
import java.time.Duration;
import org.fedmed.core.SiteClient;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.pki.SiteKit;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.Backoff;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * A member site run inside the test, dialing a server process with its real startup kit and answering every task
 * with {@code client} (no allow-list, no audit log), redialing quickly: how the tests play sites gone bad. It reports
 * the heart-disease definition's fingerprint and refuses the statistics exchange, so it is left out of the merge.
 */
final class MemberConnection implements AutoCloseable {

    private final ManagedChannel channel;
    private final SiteConnection connection;

    MemberConnection(SiteKit kit, SiteClient client) throws Exception {
        this.channel = SiteChannels.open(kit.server().host(), kit.server().port(),
                MutualTls.siteCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey()), WireLimits.defaults());
        SiteSettings settings = SiteSettings.of(kit.site()).withBackoff(new Backoff(Duration.ofMillis(200),
                Duration.ofSeconds(2), 2.0)).withDefinition(StatsCodec.report(DatasetFingerprint.of(
                DatasetRegistry.fromEnvironment().entry("heart-disease").schema())));
        this.connection = new SiteConnection(channel, settings, client, offer -> PolicyDecision.accept(), entry -> { });
        connection.start();
    }

    @Override
    public void close() {
        connection.close();
        channel.shutdownNow();
    }
}
