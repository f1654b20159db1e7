package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fedmed.pki.AccessDeniedException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizationTest {

    @TempDir
    Path tmp;

    private ProvisionedFederation demo;

    @BeforeEach
    void provision() {
        demo = TestFederations.provision(tmp.resolve("demo"), "demo", "fl.example.org", 11);
    }

    private X509Certificate siteCert(ProvisionedFederation fed, String site) {
        return Pem.readCertificate(fed.siteKits().get(site).resolve(site + ".pem"));
    }

    private Authorization serverAuthorization() {
        return Authorization.forServerKit(ServerKit.load(demo.serverKit()));
    }

    private static Reason denial(Authorization auth, X509Certificate... chain) {
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> auth.authorize(chain));
        assertNotNull(e.getMessage());
        return e.reason();
    }

    @Test
    void provisionedSiteIsAuthorizedByName() throws Exception {
        Authorization auth = serverAuthorization();
        X509Certificate a = siteCert(demo, "a");
        SiteIdentity id = auth.authorize(new X509Certificate[]{a, Pem.readCertificate(demo.serverKit().resolve("ca.pem"))});
        assertEquals(new SiteIdentity("demo", "a", a.getSerialNumber()), id);
        assertEquals("c", auth.authorize(List.of(siteCert(demo, "c"))).site());
    }

    @Test
    void certificateFromAnotherFederationsCaIsRefused() {
        ProvisionedFederation other = TestFederations.provision(tmp.resolve("other"), "other", "fl.example.org", 12);
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(siteCert(other, "a"))));
        assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
        assertTrue(e.getMessage().contains("O=other") && e.getMessage().contains("federation 'demo'"), e.getMessage());
    }

    @Test
    void certificateFromAnotherCaWithTheSameFederationNameIsRefused() {
        ProvisionedFederation impostor = TestFederations.provision(tmp.resolve("impostor"), "demo", "fl.example.org", 13);
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(siteCert(impostor, "a"))));
        assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
        assertTrue(e.getMessage().contains("not signed by the CA"), e.getMessage());
    }

    @Test
    void revokedSiteIsRefusedAndTheOthersStillAdmitted() throws Exception {
        Instant at = Instant.parse("2031-02-03T04:05:06Z");
        Revocation r = new Revoker(TestFederations.fixed(at), TestFederations.seeded(14)).revoke(demo.directory(), "b");
        X509Certificate b = siteCert(demo, "b");
        assertEquals(b.getSerialNumber(), r.serial());
        assertEquals(2, r.crlNumber());

        Authorization auth = serverAuthorization();
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> auth.authorize(List.of(b)));
        assertEquals(Reason.REVOKED, e.reason());
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains(at.toString()), e.getMessage());
        assertEquals("a", auth.authorize(List.of(siteCert(demo, "a"))).site());

        X509Certificate ca = Pem.readCertificate(demo.serverKit().resolve("ca.pem"));
        RevocationList crl = RevocationList.load(demo.serverKit().resolve("crl.pem"), ca);
        assertEquals(java.util.Set.of(b.getSerialNumber()), crl.revokedSerials());
        assertEquals(2, crl.number());
        FederationManifest m = FederationManifest.read(demo.manifest());
        assertEquals(at.toString(), m.site("b").orElseThrow().revokedAt());
        assertFalse(m.site("a").orElseThrow().revoked());
        assertEquals(2, m.crlNumber());
    }

    @Test
    void aSiteRevokedByNameLeavesTheSitesListAndABySerialRevocationLeavesTheListAsItIs() throws Exception {
        Path sites = demo.serverKit().resolve("sites.txt");
        Files.writeString(sites, "# members\na\nb\n\nc\n");
        Revoker revoker = new Revoker(Clock.systemUTC(), TestFederations.seeded(17));
        Revocation r = revoker.revoke(demo.directory(), "b");
        assertEquals(sites, r.sitesList());
        assertEquals("# members\na\n\nc\n", Files.readString(sites), "only b's line goes; comments and blanks stay");
        assertEquals(java.util.Set.of("a", "c"), serverAuthorization().sites());
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(siteCert(demo, "b"))));
        assertEquals(Reason.REVOKED, e.reason(), "the refusal still says the certificate was revoked");

        Renewal renewed = new Renewer(Clock.systemUTC(), TestFederations.seeded(18)).renew(demo.directory(),
                Participant.site("a"), null, false);
        Revocation old = revoker.revokeSerial(demo.directory(), renewed.oldSerial());
        assertNull(old.sitesList());
        assertEquals("# members\na\n\nc\n", Files.readString(sites), "a keeps its place under its new certificate");
    }

    @Test
    void secondRevocationKeepsTheFirstOnTheList() {
        Revoker revoker = new Revoker(Clock.systemUTC(), TestFederations.seeded(15));
        revoker.revoke(demo.directory(), "a");
        revoker.revoke(demo.directory(), "c");
        Authorization auth = serverAuthorization();
        assertEquals(Reason.REVOKED, denial(auth, siteCert(demo, "a")));
        assertEquals(Reason.REVOKED, denial(auth, siteCert(demo, "c")));
        X509Certificate ca = Pem.readCertificate(demo.caDirectory().resolve("ca.pem"));
        assertEquals(3, RevocationList.load(demo.serverKit().resolve("crl.pem"), ca).number());
    }

    @Test
    void revokingAnUnknownOrAlreadyRevokedSiteIsAnError() {
        Revoker revoker = new Revoker(Clock.systemUTC(), TestFederations.seeded(16));
        ProvisioningException unknown = assertThrows(ProvisioningException.class,
                () -> revoker.revoke(demo.directory(), "zed"));
        assertTrue(unknown.getMessage().contains("'zed'") && unknown.getMessage().contains("a, b, c"),
                unknown.getMessage());
        revoker.revoke(demo.directory(), "a");
        ProvisioningException twice = assertThrows(ProvisioningException.class,
                () -> revoker.revoke(demo.directory(), "a"));
        assertTrue(twice.getMessage().contains("already revoked"), twice.getMessage());
    }

    @Test
    void siteMissingFromTheFederationListIsRefused() throws Exception {
        CertificateAuthority ca = CertificateAuthority.load(demo.caDirectory(), TestFederations.seeded(17));
        X509Certificate stray = ca.issueSite("d", Validity.startingAt(Instant.now(), Duration.ofDays(1))).certificate();
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(stray)));
        assertEquals(Reason.NOT_IN_FEDERATION, e.reason());
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("a, b, c"), e.getMessage());

        Files.writeString(demo.serverKit().resolve("sites.txt"), "# c left the federation\na\nb\n");
        assertEquals(Reason.NOT_IN_FEDERATION, denial(serverAuthorization(), siteCert(demo, "c")));
    }

    @Test
    void serverCertificatePresentedAsASiteIsRefused() {
        X509Certificate server = Pem.readCertificate(demo.serverKit().resolve("server.pem"));
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(server)));
        assertEquals(Reason.NOT_A_SITE_CERTIFICATE, e.reason());
        assertTrue(e.getMessage().contains("'server'"), e.getMessage());
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() {
        CertificateAuthority ca = CertificateAuthority.load(demo.caDirectory(), TestFederations.seeded(18));
        Instant now = Instant.now();
        X509Certificate expired = ca.issueSite("a", new Validity(now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)))).certificate();
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize(List.of(expired)));
        assertEquals(Reason.EXPIRED, e.reason());
        assertTrue(e.getMessage().contains("expired at"), e.getMessage());

        Authorization early = Authorization.forServerKit(ServerKit.load(demo.serverKit()),
                TestFederations.fixed(now.minus(Duration.ofDays(1))));
        assertEquals(Reason.NOT_YET_VALID, denial(early, siteCert(demo, "a")));
        Authorization late = Authorization.forServerKit(ServerKit.load(demo.serverKit()),
                TestFederations.fixed(now.plus(Duration.ofDays(4 * 365))));
        assertEquals(Reason.EXPIRED, denial(late, siteCert(demo, "a")), "past the CA's lifetime");
    }

    @Test
    void peerWithoutCertificateIsRefused() {
        assertEquals(Reason.NO_CERTIFICATE, denial(serverAuthorization()));
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> serverAuthorization().authorize((java.security.cert.Certificate[]) null));
        assertEquals(Reason.NO_CERTIFICATE, e.reason());
    }

    @Test
    void crlFromAnotherCaIsNotAccepted() {
        ProvisionedFederation other = TestFederations.provision(tmp.resolve("other"), "demo", "fl.example.org", 19);
        X509Certificate ca = Pem.readCertificate(demo.caDirectory().resolve("ca.pem"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> RevocationList.load(other.serverKit().resolve("crl.pem"), ca));
        assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
    }
}
