package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.cli.FedmedCommand;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.pki.FederationManifest;
import org.fedmed.pki.Pem;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates operated while a {@code fedmed server} process runs, with {@code crl_reload_seconds: 1}: a site added
 * with {@code provision add-site} joins without a server restart; a site renewed with {@code provision renew} and
 * restarted joins with its new certificate; its old certificate, once revoked by serial, is refused; and the added,
 * renewed site then trains in the run.
 */
@Timeout(300)
class CertificateOperationsProcessesTest {

    /** A short run: three rounds of logistic regression, once all three sites it waits for are connected. */
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 3
            min_fit_sites: 3
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 42
            round_deadline_seconds: 60
            """;

    @Test
    void addedSiteJoinsRenewedSiteRejoinsAndItsRevokedOldCertificateIsRefused(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", List.of("cleveland", "hungary", "va"));
        Path dir = fed.layout.root();
        Path serverYaml = fed.serverConfig("server.yaml", "certificates", 3, TRAINING);
        Files.writeString(serverYaml, Files.readString(serverYaml)
                .replace("wait_timeout_seconds: 120", "wait_timeout_seconds: 240")
                .replace("\ntraining:\n", "\ncrl_reload_seconds: 1\ntraining:\n"));
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        try {
            FedmedProcess server = start(processes, logs, "server", "server", "--config", serverYaml.toString());
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            FedmedProcess cleveland = start(processes, logs, "cleveland", "site", "--config",
                    fed.siteConfig("cleveland", "cleveland", "fedavg", "{type: logistic}").toString());
            cleveland.awaitOutput("site 'cleveland' joined the federation", Duration.ofSeconds(60));

            provision("add-site", "--kit", dir.toString(), "--site", "bern");
            server.awaitOutput("re-read the server kit: site list: admitted [bern]", Duration.ofSeconds(60));
            Path bernConfig = fed.siteConfig("bern", "switzerland", "fedavg", "{type: logistic}");
            FedmedProcess bern = start(processes, logs, "bern", "site", "--config", bernConfig.toString());
            bern.awaitOutput("site 'bern' joined the federation (join #1)", Duration.ofSeconds(60));

            Path oldKit = tmp.resolve("old-kit/sites/bern");
            copyKit(fed.layout.siteKit("bern"), oldKit);
            BigInteger oldSerial = Pem.readCertificate(oldKit.resolve("bern.pem")).getSerialNumber();
            provision("renew", "--kit", dir.toString(), "--site", "bern");
            BigInteger newSerial = Pem.readCertificate(fed.layout.siteKit("bern").resolve("bern.pem")).getSerialNumber();
            assertEquals(newSerial, FederationManifest.read(fed.layout.manifest()).site("bern").orElseThrow().serial());
            bern.kill();
            provision("revoke", "--kit", dir.toString(), "--serial", oldSerial.toString(16));
            server.awaitOutput("re-read the server kit: revocation list: revoked serial(s) " + oldSerial.toString(16),
                    Duration.ofSeconds(60));

            FedmedProcess renewed = start(processes, logs, "bern-renewed", "site", "--config", bernConfig.toString());
            renewed.awaitOutput("site 'bern' joined the federation (join #1)", Duration.ofSeconds(60));

            Path oldConfig = fed.siteConfigFor(oldKit, "bern", "switzerland", "fedavg", "{type: logistic}");
            Files.writeString(oldConfig, Files.readString(oldConfig).replace("audit/bern.jsonl", "audit/bern-old.jsonl"));
            FedmedProcess old = start(processes, logs, "bern-old", "site", "--config", oldConfig.toString());
            assertEquals(3, old.awaitExit(Duration.ofSeconds(60)), old.output());
            assertTrue(old.output().contains("the server refused site 'bern'") && old.output().contains("(serial "
                    + oldSerial.toString(16) + ") was revoked at"), old.output());

            start(processes, logs, "hungary", "site", "--config",
                    fed.siteConfig("hungary", "hungary", "fedavg", "{type: logistic}").toString());
            assertEquals(0, server.awaitExit(Duration.ofSeconds(120)), server.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo run = store.latestRun("certificates").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(3, rounds.size());
            for (RoundRecord r : rounds) {
                assertTrue(r.succeeded().contains("bern"), "the added, renewed site trains in round " + r.round()
                        + ": " + r.succeeded());
            }
            List<AuditEntry> audit = store.auditLog();
            assertTrue(audit.stream().filter(a -> a.event() == AuditEvent.JOINED && a.actor().contains("bern"))
                    .count() >= 2, "bern joined with its first and with its renewed certificate: " + audit);
            assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.ADMISSION_REFUSED
                    && a.actor().contains("bern") && a.detail().contains("was revoked at")), audit.toString());
        }
    }

    private static FedmedProcess start(List<FedmedProcess> all, Path logs, String name, String... args) {
        FedmedProcess p = FedmedProcess.start(name, logs, args);
        all.add(p);
        return p;
    }

    /** Runs {@code fedmed provision args...} in this JVM; fails, showing its output, unless it exits 0. */
    private static void provision(String... args) {
        StringWriter out = new StringWriter();
        var cl = FedmedCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        String[] all = new String[args.length + 1];
        all[0] = "provision";
        System.arraycopy(args, 0, all, 1, args.length);
        assertEquals(0, cl.execute(all), out.toString());
    }

    private static void copyKit(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
