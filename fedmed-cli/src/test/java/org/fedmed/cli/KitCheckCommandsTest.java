package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.SecureFiles;
import org.fedmed.pki.ServerAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedmed site} and {@code fedmed server} refuse, with exit status 2 and one line naming the file and the
 * reason, a kit they cannot trust: a key others can read (unless {@code --allow-readable-key}), a key that does not
 * belong to the certificate, a key file that is not a key, a kit folder that is not there. Each is caught before
 * any data is read or any socket opened.
 */
class KitCheckCommandsTest {

    @TempDir
    Path tmp;

    private KitLayout layout;
    private Path siteYaml;
    private Path serverYaml;

    @BeforeEach
    void provision() throws Exception {
        Path dir = tmp.resolve("fed");
        new Provisioner().provision(FederationSpec.of("heart", new ServerAddress("127.0.0.1", 1), List.of("a", "b")),
                dir, false);
        layout = new KitLayout(dir);
        siteYaml = tmp.resolve("site.yaml");
        Files.writeString(siteYaml, """
                kit: fed/sites/a
                data: {dataset: heart-disease, csv: no-such-file.csv}
                allow: {strategies: [fedavg], model_specs: [{type: logistic}]}
                """);
        serverYaml = tmp.resolve("server.yaml");
        Files.writeString(serverYaml, "kit: fed/server\nrun: r\ntraining: {dataset: no-such-dataset}\n");
    }

    private static FedmedCommandTest.Run run(String... args) {
        return FedmedCommandTest.run(args);
    }

    private static void assertOneLineError(FedmedCommandTest.Run r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("error: " + expected + System.lineSeparator(), r.err());
    }

    @Test
    void aKeyReadableByOthersIsRefusedNamingTheFileItsModeAndTheFix() throws Exception {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        Path siteKey = layout.siteKit("a").resolve("a.key");
        Path serverKey = layout.serverKit().resolve("server.key");
        for (Path key : List.of(siteKey, serverKey)) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        }
        String why = ": the private key file is accessible to group or others (mode 0644 (rw-r--r--)); a private key"
                + " must be readable by its owner only. Fix it with: chmod 600 ";
        assertOneLineError(run("site", "--config", siteYaml.toString()),
                siteKey + why + siteKey + " (or pass --allow-readable-key to start anyway)");
        assertOneLineError(run("server", "--config", serverYaml.toString()),
                serverKey + why + serverKey + " (or pass --allow-readable-key to start anyway)");
    }

    @Test
    void allowReadableKeyGetsPastTheKitCheck() throws Exception {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        Files.setPosixFilePermissions(layout.siteKit("a").resolve("a.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(layout.serverKit().resolve("server.key"),
                PosixFilePermissions.fromString("rw-r--r--"));
        var site = run("site", "--config", siteYaml.toString(), "--allow-readable-key");
        assertEquals(2, site.exit(), site.err());
        assertTrue(site.err().contains("no-such-file.csv") && !site.err().contains("private key"),
                "the site went on to read its data: " + site.err());
        var server = run("server", "--config", serverYaml.toString(), "--allow-readable-key");
        assertEquals(2, server.exit(), server.err());
        assertTrue(server.err().contains("no-such-dataset") && !server.err().contains("private key"),
                "the server went on to build its plan: " + server.err());
    }

    @Test
    void anotherSitesKeyIsRefusedBecauseItDoesNotBelongToTheCertificate() throws Exception {
        Path kit = layout.siteKit("a");
        Files.copy(layout.siteKit("b").resolve("b.key"), kit.resolve("a.key"), StandardCopyOption.REPLACE_EXISTING);
        var r = run("site", "--config", siteYaml.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: site kit " + kit + ": the private key " + kit.resolve("a.key")
                + " does not belong to the certificate " + kit.resolve("a.pem")), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aSiteKeyInTheServerKitIsRefused() throws Exception {
        Path kit = layout.serverKit();
        Files.copy(layout.siteKit("a").resolve("a.key"), kit.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
        var r = run("server", "--config", serverYaml.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: server kit " + kit + ": the private key " + kit.resolve("server.key")
                + " does not belong to the certificate " + kit.resolve("server.pem")), r.err());
    }

    @Test
    void aGarbageKeyFileIsAUserErrorNamingTheFile() throws Exception {
        Path key = layout.siteKit("a").resolve("a.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nthis is not a key\n-----END PRIVATE KEY-----\n");
        var r = run("site", "--config", siteYaml.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: " + key + ": "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        Path serverKey = layout.serverKit().resolve("server.key");
        Files.write(serverKey, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertOneLineError(run("server", "--config", serverYaml.toString()),
                serverKey + ": not readable as PEM: the file is binary, not PEM text");
    }

    @Test
    void aMissingKitNamesTheKitKeyAndTheConfigFile() throws Exception {
        Path siteKit = layout.siteKit("a");
        SecureFiles.deleteTree(siteKit);
        assertOneLineError(run("site", "--config", siteYaml.toString()), siteYaml + ": key 'kit': no startup kit at "
                + siteKit + ": the folder does not exist (a site kit is a folder written by 'fedmed provision')");

        Files.delete(layout.serverKit().resolve("server.yaml"));
        assertOneLineError(run("server", "--config", serverYaml.toString()), serverYaml + ": key 'kit': no startup kit"
                + " at " + layout.serverKit() + ": it holds no server.yaml (a server kit written by 'fedmed provision'"
                + " does)");
        assertFalse(Files.exists(tmp.resolve("fedmed.db")), "no run record is left by a start that failed");
    }
}
