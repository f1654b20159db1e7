package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedmed.pki.AccessDeniedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewerTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant T1 = T0.plus(Duration.ofDays(50));

    @TempDir
    Path tmp;

    private ProvisionedFederation provision() {
        return TestFederations.provisionAt(tmp.resolve("demo"), T0, Duration.ofDays(1000), Duration.ofDays(100), 31);
    }

    private static Renewer renewerAt(Instant at) {
        return new Renewer(TestFederations.fixed(at), TestFederations.seeded(32));
    }

    private static X509Certificate cert(ProvisionedFederation fed, String site) {
        return Pem.readCertificate(fed.siteKits().get(site).resolve(site + ".pem"));
    }

    private static Authorization authorization(ProvisionedFederation fed, Instant at) {
        return Authorization.forServerKit(ServerKit.load(fed.serverKit()), TestFederations.fixed(at));
    }

    @Test
    void renewingASiteReplacesOnlyItsKeyAndCertificate() throws Exception {
        ProvisionedFederation fed = provision();
        X509Certificate old = cert(fed, "b");
        Map<Path, String> before = TestFederations.snapshot(fed.directory());

        Renewal r = renewerAt(T1).renew(fed.directory(), Participant.site("b"), null, false);

        Map<Path, String> after = TestFederations.snapshot(fed.directory());
        assertEquals(TestFederations.without(before, "federation.yaml", "sites/b/b.pem", "sites/b/b.key"),
                TestFederations.without(after, "federation.yaml", "sites/b/b.pem", "sites/b/b.key"),
                "every other file, the CRL and b's own site.yaml and ca.pem included, is byte-identical");
        assertNotEquals(before.get(Path.of("sites/b/b.pem")), after.get(Path.of("sites/b/b.pem")));
        assertNotEquals(before.get(Path.of("sites/b/b.key")), after.get(Path.of("sites/b/b.key")));
        try (var left = Files.list(fed.directory().resolve("sites"))) {
            assertEquals(List.of("a", "b", "c"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no scratch or replaced folder is left beside the kits");
        }

        X509Certificate renewed = cert(fed, "b");
        assertEquals(old.getSerialNumber(), r.oldSerial());
        assertEquals(renewed.getSerialNumber(), r.newSerial());
        assertNotEquals(old.getPublicKey(), renewed.getPublicKey(), "a new key pair");
        assertEquals(old.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertEquals(new Validity(T1.minus(Validity.CLOCK_SKEW), T1.plus(Duration.ofDays(100))), r.validity());
        SiteKit.load(fed.siteKits().get("b"), KeyFilePolicy.REQUIRE_OWNER_ONLY);

        FederationManifest m = FederationManifest.read(fed.manifest());
        FederationManifest.Site b = m.site("b").orElseThrow();
        assertEquals(renewed.getSerialNumber(), b.serial());
        assertEquals(List.of(new FederationManifest.Superseded(CertificateSummary.of(old), T1.toString(), null)),
                b.superseded());
        assertEquals(1, m.crlNumber(), "renewing revokes nothing");

        Authorization auth = authorization(fed, T1);
        assertEquals("b", auth.authorize(List.of(renewed)).site());
        assertEquals("b", auth.authorize(List.of(old)).site(), "the old certificate stays valid until revoked");
    }

    @Test
    void renewedKeyIsOwnerOnly() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        ProvisionedFederation fed = provision();
        renewerAt(T1).renew(fed.directory(), Participant.site("a"), null, false);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fed.siteKits().get("a").resolve("a.key"))));
    }

    @Test
    void revokeOldPutsTheReplacedCertificateOnTheCrl() throws Exception {
        ProvisionedFederation fed = provision();
        X509Certificate old = cert(fed, "a");
        Renewal r = renewerAt(T1).renew(fed.directory(), Participant.site("a"), Duration.ofDays(10), true);
        Revocation revocation = r.revocation().orElseThrow();
        assertEquals(List.of(old.getSerialNumber()), revocation.serials());
        assertEquals(2, revocation.crlNumber());
        assertEquals(T1.plus(Duration.ofDays(10)), r.validity().notAfter());

        Authorization auth = authorization(fed, T1);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> auth.authorize(List.of(old)));
        assertEquals(Reason.REVOKED, e.reason());
        assertEquals("a", auth.authorize(List.of(cert(fed, "a"))).site());
        assertEquals("b", auth.authorize(List.of(cert(fed, "b"))).site());
    }

    @Test
    void oldCertificateCanBeRevokedLaterBySerial() throws IOException {
        ProvisionedFederation fed = provision();
        X509Certificate old = cert(fed, "c");
        renewerAt(T1).renew(fed.directory(), Participant.site("c"), null, false);
        Instant later = T1.plus(Duration.ofDays(1));
        Revocation r = new Revoker(TestFederations.fixed(later), TestFederations.seeded(33))
                .revokeSerial(fed.directory(), old.getSerialNumber());
        assertEquals(Participant.site("c"), r.holder());
        assertEquals(List.of(old.getSerialNumber()), r.serials());

        FederationManifest m = FederationManifest.read(fed.manifest());
        assertEquals(later.toString(), m.site("c").orElseThrow().superseded().getFirst().revokedAt());
        assertFalse(m.site("c").orElseThrow().revoked(), "the current certificate stays valid");
        Authorization auth = authorization(fed, later);
        assertEquals(Reason.REVOKED, assertThrows(AccessDeniedException.class,
                () -> auth.authorize(List.of(old))).reason());
        assertEquals("c", assertDoesNotThrow(() -> auth.authorize(List.of(cert(fed, "c")))).site());
    }

    @Test
    void revokingASiteByNameRevokesItsSupersededCertificatesToo() throws Exception {
        ProvisionedFederation fed = provision();
        X509Certificate first = cert(fed, "b");
        renewerAt(T1).renew(fed.directory(), Participant.site("b"), null, false);
        X509Certificate second = cert(fed, "b");
        Revocation r = new Revoker(TestFederations.fixed(T1), TestFederations.seeded(34)).revoke(fed.directory(), "b");
        assertEquals(List.of(second.getSerialNumber(), first.getSerialNumber()), r.serials());
        Authorization auth = authorization(fed, T1);
        for (X509Certificate c : List.of(first, second)) {
            assertEquals(Reason.REVOKED, assertThrows(AccessDeniedException.class,
                    () -> auth.authorize(List.of(c))).reason());
        }
    }

    @Test
    void renewingTheServerKeepsItsNamesAndLeavesTheSiteKitsAndCrlAlone() throws Exception {
        Path dir = tmp.resolve("local");
        FederationSpec spec = new FederationSpec("demo", ServerAddress.parse("10.1.2.3:9000"), List.of("a", "b"),
                Duration.ofDays(1000), Duration.ofDays(100), true);
        ProvisionedFederation fed = new Provisioner(TestFederations.fixed(T0), TestFederations.seeded(35))
                .provision(spec, dir, false);
        X509Certificate old = Pem.readCertificate(fed.serverKit().resolve("server.pem"));
        Map<Path, String> before = TestFederations.snapshot(dir);

        Renewal r = renewerAt(T1).renew(dir, Participant.server(), Duration.ofDays(20), false);

        Map<Path, String> after = TestFederations.snapshot(dir);
        assertEquals(TestFederations.without(before, "federation.yaml", "server/server.pem", "server/server.key"),
                TestFederations.without(after, "federation.yaml", "server/server.pem", "server/server.key"));
        X509Certificate renewed = Pem.readCertificate(fed.serverKit().resolve("server.pem"));
        assertEquals(r.newSerial(), renewed.getSerialNumber());
        assertEquals(old.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertEquals(List.copyOf(old.getSubjectAlternativeNames()), List.copyOf(renewed.getSubjectAlternativeNames()));
        assertEquals(old.getExtendedKeyUsage(), renewed.getExtendedKeyUsage());
        assertEquals(T1.plus(Duration.ofDays(20)), renewed.getNotAfter().toInstant());
        ServerKit.load(fed.serverKit(), KeyFilePolicy.REQUIRE_OWNER_ONLY);

        FederationManifest m = FederationManifest.read(fed.manifest());
        assertEquals(CertificateSummary.of(renewed), m.serverCertificate());
        assertEquals(old.getSerialNumber(), m.serverSuperseded().getFirst().serial());
    }

    @Test
    void theServersCurrentCertificateCannotBeRevoked() {
        ProvisionedFederation fed = provision();
        BigInteger serial = Pem.readCertificate(fed.serverKit().resolve("server.pem")).getSerialNumber();
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> new Revoker().revokeSerial(fed.directory(), serial));
        assertTrue(e.getMessage().contains("is the server's current certificate; renew the server"), e.getMessage());
    }

    @Test
    void unknownSerialIsRefusedNamingIt() {
        ProvisionedFederation fed = provision();
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> new Revoker().revokeSerial(fed.directory(), BigInteger.valueOf(0xabc)));
        assertTrue(e.getMessage().startsWith("federation 'demo' issued no certificate with serial abc"), e.getMessage());
    }

    @Test
    void aRevokedSiteIsNotRenewed() throws IOException {
        ProvisionedFederation fed = provision();
        new Revoker(Clock.systemUTC(), TestFederations.seeded(36)).revoke(fed.directory(), "a");
        Map<Path, String> before = TestFederations.snapshot(fed.directory());
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> renewerAt(T1).renew(fed.directory(), Participant.site("a"), null, false));
        assertTrue(e.getMessage().startsWith("site 'a' is revoked"), e.getMessage());
        assertEquals(before, TestFederations.snapshot(fed.directory()), "nothing written");
    }

    @Test
    void anUnknownSiteIsNotRenewed() {
        ProvisionedFederation fed = provision();
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> renewerAt(T1).renew(fed.directory(), Participant.site("zz"), null, false));
        assertTrue(e.getMessage().startsWith("federation 'demo' has no site 'zz'; its sites are a, b, c"),
                e.getMessage());
    }

    @Test
    void aKitMissingFromTheDirectoryIsNamed() throws IOException {
        ProvisionedFederation fed = provision();
        Path kit = fed.siteKits().get("b");
        SecureFiles.deleteTree(kit);
        MissingKitException e = assertThrows(MissingKitException.class,
                () -> renewerAt(T1).renew(fed.directory(), Participant.site("b"), null, false));
        assertEquals(kit, e.directory());
    }
}
