package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollerTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    private ProvisionedFederation provision() {
        return TestFederations.provisionAt(tmp.resolve("demo"), T0, Duration.ofDays(1000), Duration.ofDays(100), 21);
    }

    private static Enroller enrollerAt(Instant at) {
        return new Enroller(TestFederations.fixed(at), TestFederations.seeded(22));
    }

    @Test
    void addedSiteGetsAKitAndIsAdmittedWhileEveryOtherFileStaysByteIdentical() throws Exception {
        ProvisionedFederation fed = provision();
        Map<Path, String> before = TestFederations.snapshot(fed.directory());
        String sitesBefore = Files.readString(fed.serverKit().resolve("sites.txt"));

        Enrollment e = enrollerAt(T0.plus(Duration.ofDays(3))).enroll(fed.directory(), "d", null);

        Path kit = fed.directory().resolve("sites/d");
        assertEquals(kit, e.kit());
        assertEquals(List.of(Path.of("sites/d/site.yaml"), Path.of("sites/d/ca.pem"), Path.of("sites/d/d.pem"),
                Path.of("sites/d/d.key"), Path.of("federation.yaml"), Path.of("server/sites.txt")), e.files());
        assertEquals(sitesBefore + "d\n", Files.readString(fed.serverKit().resolve("sites.txt")));
        Map<Path, String> after = TestFederations.snapshot(fed.directory());
        assertEquals(TestFederations.without(before, "federation.yaml", "server/sites.txt"),
                TestFederations.without(after, "federation.yaml", "server/sites.txt", "sites/d"),
                "no other kit file changed");
        assertEquals(before.get(Path.of("ca/ca.pem")), after.get(Path.of("sites/d/ca.pem")), "the same CA");

        SiteKit site = SiteKit.load(kit, KeyFilePolicy.REQUIRE_OWNER_ONLY);
        assertEquals("d", site.site());
        assertEquals(new ServerAddress("fl.example.org", 8443), site.server());
        X509Certificate cert = Pem.readCertificate(site.certificate());
        assertEquals(e.serial(), cert.getSerialNumber());
        assertEquals("CN=d,OU=site,O=demo", cert.getSubjectX500Principal().getName());
        Authorization auth = Authorization.forServerKit(ServerKit.load(fed.serverKit()),
                TestFederations.fixed(T0.plus(Duration.ofDays(4))));
        assertEquals("d", auth.authorize(List.of(cert)).site());

        FederationManifest m = FederationManifest.read(fed.manifest());
        assertEquals(List.of("a", "b", "c", "d"), m.siteNames());
        assertEquals(e.serial(), m.site("d").orElseThrow().serial());
        assertEquals(1, m.crlNumber());
    }

    @Test
    void newKeyIsOwnerOnly() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        Enrollment e = enrollerAt(T0).enroll(provision().directory(), "d", null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(e.kit().resolve("d.key"))));
    }

    @Test
    void validityIsTheFederationDefaultOrTheOneAskedFor() {
        ProvisionedFederation fed = provision();
        Instant at = T0.plus(Duration.ofDays(10));
        Enrollment byDefault = enrollerAt(at).enroll(fed.directory(), "d", null);
        assertEquals(new Validity(at.minus(Validity.CLOCK_SKEW), at.plus(Duration.ofDays(100))), byDefault.validity());
        assertFalse(byDefault.cutByCa());

        Enrollment asked = enrollerAt(at).enroll(fed.directory(), "e", Duration.ofDays(7));
        assertEquals(Instant.parse("2030-01-18T00:00:00Z"), asked.validity().notAfter());
        assertEquals(asked.validity().notAfter(),
                Pem.readCertificate(asked.kit().resolve("e.pem")).getNotAfter().toInstant());
    }

    @Test
    void validityBeyondTheCaIsCutToEndWithIt() {
        ProvisionedFederation fed = provision();
        Enrollment e = enrollerAt(T0.plus(Duration.ofDays(990))).enroll(fed.directory(), "d", Duration.ofDays(30));
        assertTrue(e.cutByCa());
        assertEquals(T0.plus(Duration.ofDays(1000)), e.validity().notAfter());
    }

    @Test
    void manifestWithoutARecordedValidityUsesTheServerCertificatesLength() throws IOException {
        ProvisionedFederation fed = provision();
        Path manifest = fed.manifest();
        String yaml = Files.readString(manifest);
        assertTrue(yaml.contains("certificate_validity: P100D\n"), yaml);
        Files.writeString(manifest, yaml.replace("certificate_validity: P100D\n", "")
                .replace("server_superseded: []\n", "").replace("  superseded: []\n", ""));
        assertEquals(java.util.Optional.empty(), FederationManifest.read(manifest).defaultValidity());

        Instant at = T0.plus(Duration.ofDays(1));
        Enrollment e = enrollerAt(at).enroll(fed.directory(), "d", null);
        assertEquals(at.plus(Duration.ofDays(100)), e.validity().notAfter());
    }

    @Test
    void existingNameIsRefusedAndNothingIsWritten() throws IOException {
        ProvisionedFederation fed = provision();
        Map<Path, String> before = TestFederations.snapshot(fed.directory());
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(fed.directory(), "b", null));
        assertTrue(e.getMessage().contains("already has a site 'b'") && e.getMessage().contains("renew"), e.getMessage());
        assertEquals(before, TestFederations.snapshot(fed.directory()));
    }

    @Test
    void nameListedInSitesTxtOrTakenByAFolderIsRefused() throws IOException {
        ProvisionedFederation fed = provision();
        Path sites = fed.serverKit().resolve("sites.txt");
        Files.writeString(sites, Files.readString(sites) + "listed\n");
        ProvisioningException listed = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(fed.directory(), "listed", null));
        assertEquals(sites + " already lists site 'listed'; choose another name", listed.getMessage());

        Files.createDirectories(fed.directory().resolve("sites/folder"));
        ProvisioningException folder = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(fed.directory(), "folder", null));
        assertTrue(folder.getMessage().startsWith(fed.directory().resolve("sites/folder") + " already exists"),
                folder.getMessage());
    }

    @Test
    void badNameIsRefusedNamingTheRule() {
        ProvisionedFederation fed = provision();
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(fed.directory(), "North Wing", null));
        assertEquals("invalid site name 'North Wing': expected " + Names.SITE_NAME_RULE, e.getMessage());
        assertFalse(Files.exists(fed.directory().resolve("sites/North Wing")));
    }

    @Test
    void missingCaKeyIsRefusedNamingTheFile() throws IOException {
        ProvisionedFederation fed = provision();
        Path caKey = fed.caDirectory().resolve("ca.key");
        Files.delete(caKey);
        Map<Path, String> before = TestFederations.snapshot(fed.directory());
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(fed.directory(), "d", null));
        assertTrue(e.getMessage().startsWith("add-site needs the federation CA, but " + caKey + " does not exist"),
                e.getMessage());
        assertEquals(before, TestFederations.snapshot(fed.directory()));
    }

    @Test
    void aDirectoryThatIsNoFederationIsRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0).enroll(empty, "d", null));
        assertTrue(e.getMessage().startsWith(empty + " is not a federation directory: it holds no federation.yaml"),
                e.getMessage());
    }

    @Test
    void anExpiredCaIssuesNothing() {
        ProvisionedFederation fed = provision();
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> enrollerAt(T0.plus(Duration.ofDays(1001))).enroll(fed.directory(), "d", null));
        assertTrue(e.getMessage().startsWith("the federation CA expired at 2032-09-27T00:00:00Z"), e.getMessage());
        assertFalse(Files.exists(fed.directory().resolve("sites/d")));
    }
}
