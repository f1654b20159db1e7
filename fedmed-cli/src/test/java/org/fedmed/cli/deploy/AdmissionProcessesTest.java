package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.pki.Revoker;
import org.fedmed.pki.ServerKit;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code fedmed server} process refuses, each with a clear error, the sites that are not members of its
 * federation: a site with no certificate, one whose certificate another federation's CA issued, one whose
 * certificate was revoked, and one the federation does not list. Each refusal is in the run store's audit log,
 * the failed TLS handshakes with the peer's address and the reason.
 */
@Timeout(240)
class AdmissionProcessesTest {

    @Test
    void nonMembersAreRefusedAndEachLearnsWhy(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", List.of("cleveland", "hungary", "revoked", "outsider"));
        new Revoker().revoke(fed.layout.root(), "revoked");
        Path sitesList = fed.layout.serverKit().resolve("sites.txt");
        Files.writeString(sitesList, Files.readString(sitesList).replace("outsider\n", ""));
        Federation other = Federation.provision(tmp, "other", List.of("cleveland"), fed.port);
        Path noCertKit = tmp.resolve("no-cert-kit");
        copyKit(fed.layout.siteKit("hungary"), noCertKit);
        Files.delete(noCertKit.resolve("hungary.pem"));

        // revoking 'revoked' took it off the list, so two members are listed, and neither connects with a valid
        // certificate, so no round ever starts
        assertEquals(List.of("cleveland", "hungary"), ServerKit.readSites(sitesList));
        Path serverYaml = fed.serverConfig("server.yaml", "admission", 2,
                ProcessesMatchSimulationTest.TRAINING.replace("min_fit_sites: 4", "min_fit_sites: 2"));
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));

            FedmedProcess revoked = site(processes, logs, fed.siteConfig("revoked", "cleveland", "fedavg", "{type: logistic}"), "revoked");
            FedmedProcess outsider = site(processes, logs, fed.siteConfig("outsider", "cleveland", "fedavg", "{type: logistic}"), "outsider");
            FedmedProcess stranger = site(processes, logs, fed.siteConfigFor(other.layout.siteKit("cleveland"),
                    "cleveland", "cleveland", "fedavg", "{type: logistic}"), "stranger");
            FedmedProcess noCert = site(processes, logs, fed.siteConfigFor(noCertKit, "hungary", "hungary", "fedavg",
                    "{type: logistic}"), "no-cert");

            assertEquals(3, revoked.awaitExit(Duration.ofSeconds(60)), revoked.output());
            assertTrue(revoked.output().contains("the server refused site 'revoked'")
                    && revoked.output().contains("was revoked at"), revoked.output());
            assertEquals(3, outsider.awaitExit(Duration.ofSeconds(60)), outsider.output());
            assertTrue(outsider.output().contains("site 'outsider' is not in federation 'heart'"), outsider.output());
            stranger.awaitOutput("The TLS handshake failed", Duration.ofSeconds(60));
            assertTrue(stranger.alive(), "a site whose handshake failed keeps redialing");
            assertEquals(2, noCert.awaitExit(Duration.ofSeconds(60)), noCert.output());
            assertTrue(noCert.output().contains("hungary.pem") && noCert.output().contains("does not exist"),
                    noCert.output());

            String handshake = dialWithoutCertificate(fed);
            assertTrue(handshake.toLowerCase().contains("unavailable") || handshake.toLowerCase().contains("certificate"),
                    "a client with no certificate cannot complete the handshake: " + handshake);

            FedmedProcess.await(() -> tlsRefusals(fed, "no client certificate was presented") > 0
                    && tlsRefusals(fed, "does not trust the server's certificate") > 0, Duration.ofSeconds(20),
                    "both TLS refusals in the audit log");
            try (RunStore store = RunStore.open(fed.store())) {
                List<AuditEntry> audit = store.auditLog();
                assertTrue(refusal(audit, "revoked").contains("was revoked at"), audit.toString());
                assertTrue(refusal(audit, "outsider").contains("is not in federation"), audit.toString());
                assertFalse(audit.stream().anyMatch(a -> a.event() == AuditEvent.JOINED), "nobody joined: " + audit);
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
    }

    private static FedmedProcess site(List<FedmedProcess> all, Path logs, Path config, String name) {
        FedmedProcess p = FedmedProcess.start(name, logs, "site", "--config", config.toString());
        all.add(p);
        return p;
    }

    /** Audit entries of failed TLS handshakes from 127.0.0.1 whose reason contains {@code reason}. */
    private static long tlsRefusals(Federation fed, String reason) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.auditLog().stream().filter(a -> a.event() == AuditEvent.ADMISSION_REFUSED
                    && a.actor().startsWith("/127.0.0.1:") && a.detail().startsWith("TLS handshake failed: ")
                    && a.detail().contains(reason) && a.detail().endsWith("(from " + a.actor() + ")")).count();
        }
    }

    private static String refusal(List<AuditEntry> audit, String site) {
        return audit.stream().filter(a -> a.event() == AuditEvent.ADMISSION_REFUSED && a.actor().contains(site))
                .map(AuditEntry::detail).findFirst().orElse("");
    }

    /** Dials the server with TLS that trusts its CA but presents no client certificate; returns the error seen. */
    private static String dialWithoutCertificate(Federation fed) throws Exception {
        var credentials = TlsChannelCredentials.newBuilder()
                .trustManager(fed.layout.serverKit().resolve("ca.pem").toFile()).build();
        ManagedChannel channel = SiteChannels.open("127.0.0.1", fed.port, credentials, WireLimits.defaults());
        SiteClient idle = new SiteClient() {
            @Override
            public String siteId() {
                return "hungary";
            }

            @Override
            public FitResult fit(FitTask task) {
                throw new IllegalStateException("never asked");
            }

            @Override
            public EvalResult evaluate(EvalTask task) {
                throw new IllegalStateException("never asked");
            }
        };
        try (SiteConnection c = new SiteConnection(channel, SiteSettings.of("hungary"), idle,
                offer -> PolicyDecision.accept(), entry -> { })) {
            c.start();
            assertFalse(c.awaitConnected(Duration.ofSeconds(5)), "admitted without a certificate");
            FedmedProcess.await(() -> c.lastError().isPresent(), Duration.ofSeconds(20), "the handshake error");
            return c.lastError().orElseThrow();
        } finally {
            channel.shutdownNow();
        }
    }

    private static void copyKit(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
