package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kit is checked when a process loads it to start: key permissions, key against certificate, CA, site name. */
class KitCredentialTest {

    @TempDir
    Path tmp;

    private ProvisionedFederation fed;
    private Path kitA;

    @BeforeEach
    void provision() {
        fed = TestFederations.provision(tmp.resolve("demo"), "demo", "fl.example.org", 51);
        kitA = fed.siteKits().get("a");
    }

    private static void replace(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void kitsAsProvisionedLoad() {
        assertEquals("a", SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY).site());
        assertEquals("demo", ServerKit.load(fed.serverKit(), KeyFilePolicy.REQUIRE_OWNER_ONLY).federation());
    }

    @Test
    void anotherSitesKeyIsRefusedBecauseItDoesNotBelongToTheCertificate() throws IOException {
        replace(fed.siteKits().get("b").resolve("b.key"), kitA.resolve("a.key"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        String serial = Pem.readCertificate(kitA.resolve("a.pem")).getSerialNumber().toString(16);
        assertEquals("site kit " + kitA + ": the private key " + kitA.resolve("a.key") + " does not belong to the"
                + " certificate " + kitA.resolve("a.pem") + " (CN=a,OU=site,O=demo, serial " + serial + "); the kit"
                + " mixes files of two certificates. Put back the key issued with this certificate, or renew it with"
                + " 'fedmed provision renew'", e.getMessage());
        assertEquals("a", SiteKit.load(kitA).site(), "reading the kit alone does not look into the files");
    }

    @Test
    void aSiteKeyInTheServerKitIsRefused() throws IOException {
        Path server = fed.serverKit();
        replace(kitA.resolve("a.key"), server.resolve("server.key"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> ServerKit.load(server, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        assertTrue(e.getMessage().startsWith("server kit " + server + ": the private key " + server.resolve("server.key")
                + " does not belong to the certificate " + server.resolve("server.pem")), e.getMessage());
    }

    @Test
    void anotherSitesCertificateAndKeyAreRefusedNamingBothSites() throws IOException {
        Path b = fed.siteKits().get("b");
        replace(b.resolve("b.pem"), kitA.resolve("a.pem"));
        replace(b.resolve("b.key"), kitA.resolve("a.key"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        assertEquals("site kit " + kitA + ": the certificate " + kitA.resolve("a.pem") + " is for site 'b', but the"
                + " kit is for site 'a'; use the certificate and key issued for 'a'", e.getMessage());
    }

    @Test
    void aCertificateFromAnotherFederationsCaIsRefused() throws IOException {
        ProvisionedFederation other = TestFederations.provision(tmp.resolve("other"), "demo", "fl.example.org", 52);
        replace(other.siteKits().get("a").resolve("a.pem"), kitA.resolve("a.pem"));
        replace(other.siteKits().get("a").resolve("a.key"), kitA.resolve("a.key"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        assertTrue(e.getMessage().startsWith("site kit " + kitA + ": the certificate " + kitA.resolve("a.pem")
                + " (CN=a,OU=site,O=demo) was not issued by the federation CA in " + kitA.resolve("ca.pem")),
                e.getMessage());
    }

    @Test
    void aKeyReadableByOthersIsRefusedWithItsModeAndTheFix() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        for (Path kit : List.of(kitA, fed.serverKit())) {
            Path key = kit.equals(kitA) ? kitA.resolve("a.key") : kit.resolve("server.key");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
            ProvisioningException e = assertThrows(ProvisioningException.class, () -> {
                if (kit.equals(kitA)) {
                    SiteKit.load(kit, KeyFilePolicy.REQUIRE_OWNER_ONLY);
                } else {
                    ServerKit.load(kit, KeyFilePolicy.REQUIRE_OWNER_ONLY);
                }
            });
            assertEquals(key + ": the private key file is accessible to group or others (mode 0644 (rw-r--r--)); a"
                    + " private key must be readable by its owner only. Fix it with: chmod 600 " + key + " (or pass"
                    + " --allow-readable-key to start anyway)", e.getMessage());
        }
    }

    @Test
    void groupReadableIsTooOpenAndOwnerReadOnlyIsFine() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        Path key = kitA.resolve("a.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        assertTrue(e.getMessage().contains("(mode 0640 (rw-r-----))"), e.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertEquals("a", SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY).site());
    }

    @Test
    void aReadableKeyIsAcceptedWithAWarningWhenAllowed() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        Path key = kitA.resolve("a.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(CredentialCheck.class.getName());
        logger.addHandler(capture);
        try {
            assertEquals("a", SiteKit.load(kitA, KeyFilePolicy.ALLOW_READABLE).site());
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, logged.size(), logged.toString());
        assertEquals(Level.WARNING, logged.getFirst().getLevel());
        assertEquals(key + ": the private key file is accessible to group or others (mode 0666 (rw-rw-rw-)); a private"
                + " key must be readable by its owner only; starting anyway, as --allow-readable-key asks. Fix it with:"
                + " chmod 600 " + key, logged.getFirst().getMessage());
    }

    @Test
    void aGarbageKeyFileIsAOneLineErrorNamingTheFile() throws IOException {
        Path key = kitA.resolve("a.key");
        String valid = Files.readString(key);
        byte[] noise = new byte[300];
        new Random(53).nextBytes(noise);
        List<byte[]> garbage = List.of(noise, "not a key at all\n".getBytes(),
                "-----BEGIN PRIVATE KEY-----\n%%%% not base64 %%%%\n-----END PRIVATE KEY-----\n".getBytes(),
                "-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n".getBytes(),
                valid.substring(0, valid.length() / 2).getBytes(), new byte[0]);
        for (byte[] content : garbage) {
            Files.write(key, content);
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> SiteKit.load(kitA, KeyFilePolicy.REQUIRE_OWNER_ONLY), new String(content));
            assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        }
    }

    @Test
    void aMissingKitFolderOrConfigIsAMissingKit() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        MissingKitException folder = assertThrows(MissingKitException.class, () -> SiteKit.load(nowhere));
        assertEquals("no startup kit at " + nowhere + ": the folder does not exist (a site kit is a folder written by"
                + " 'fedmed provision')", folder.getMessage());
        assertEquals("site.yaml: key 'kit': no startup kit at " + nowhere + ": the folder does not exist (a site kit"
                + " is a folder written by 'fedmed provision')", folder.namedBy(Path.of("site.yaml"), "kit").getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        MissingKitException config = assertThrows(MissingKitException.class,
                () -> ServerKit.load(empty, KeyFilePolicy.REQUIRE_OWNER_ONLY));
        assertEquals("no startup kit at " + empty + ": it holds no server.yaml (a server kit written by"
                + " 'fedmed provision' does)", config.getMessage());
    }
}
