package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionerTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path tmp;

    private ProvisionedFederation provisionDemo() {
        return TestFederations.provision(tmp.resolve("demo"), "demo", "fl.example.org", 1);
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static String base64Body(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    }

    @Test
    void theServerKitHoldsAnOwnerOnlyOperatorTokenOf64HexDigits() throws IOException {
        ProvisionedFederation fed = provisionDemo();
        Path file = fed.serverKit().resolve(KitLayout.OPERATOR_TOKEN);
        OperatorToken token = OperatorToken.read(fed.serverKit());
        assertEquals(Files.readString(file).strip(), token.value());
        assertEquals(64, token.value().length());
        if (SecureFiles.supportsPosix(file.getParent())) {
            assertEquals(SecureFiles.OWNER_ONLY_FILE, Files.getPosixFilePermissions(file));
        }
        assertFalse(token.matches(token.value().substring(1) + "0"));
        assertFalse(token.toString().contains(token.value()), "toString hides the token");
    }

    @Test
    void eachKitHoldsItsFilesAndOnlyTheCaDirectoryHoldsTheCaKey() throws IOException {
        ProvisionedFederation fed = provisionDemo();
        Path dir = fed.directory();
        List<Path> expected = new ArrayList<>(List.of(Path.of("federation.yaml"), Path.of("ca/ca.pem"),
                Path.of("ca/ca.key"), Path.of("server/server.yaml"), Path.of("server/ca.pem"),
                Path.of("server/server.pem"), Path.of("server/server.key"), Path.of("server/crl.pem"),
                Path.of("server/sites.txt"), Path.of("server/operator.token")));
        for (String s : List.of("a", "b", "c")) {
            for (String f : List.of("site.yaml", "ca.pem", s + ".pem", s + ".key")) {
                expected.add(Path.of("sites", s, f));
            }
        }
        assertEquals(expected.stream().sorted().toList(), filesUnder(dir));
        assertEquals(expected.stream().sorted().toList(), fed.files().stream().sorted().toList(),
                "the result lists exactly the files written");

        String caKeyBody = base64Body(Files.readString(dir.resolve("ca/ca.key")));
        java.security.PrivateKey caKey = Pem.readPrivateKey(dir.resolve("ca/ca.key"));
        for (Path f : filesUnder(dir)) {
            if (f.startsWith("ca")) {
                continue;
            }
            assertFalse(base64Body(Files.readString(dir.resolve(f))).contains(caKeyBody), f + " holds the CA key");
            if (f.toString().endsWith(".key")) {
                assertNotEquals(caKey, Pem.readPrivateKey(dir.resolve(f)), f + " is the CA key");
            }
        }
        assertEquals(Set.of("a", "b", "c"), fed.siteKits().keySet());
    }

    @Test
    void siteAndServerCertificatesChainToTheCaUnderPkixValidation() throws Exception {
        ProvisionedFederation fed = provisionDemo();
        X509Certificate ca = Pem.readCertificate(fed.caDirectory().resolve("ca.pem"));
        assertEquals(0, ca.getBasicConstraints(), "the CA allows no intermediate below it (pathlen 0)");
        assertTrue(ca.getKeyUsage()[5] && ca.getKeyUsage()[6], "keyCertSign and cRLSign");
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        List<Path> leaves = List.of(fed.serverKit().resolve("server.pem"), fed.siteKits().get("a").resolve("a.pem"),
                fed.siteKits().get("c").resolve("c.pem"));
        for (Path leaf : leaves) {
            X509Certificate cert = Pem.readCertificate(leaf);
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(cert)), params);
            cert.verify(ca.getPublicKey());
            assertEquals(-1, cert.getBasicConstraints(), leaf + " is not a CA");
        }
        ProvisionedFederation other = TestFederations.provision(tmp.resolve("other"), "demo", "fl.example.org", 2);
        X509Certificate otherCa = Pem.readCertificate(other.caDirectory().resolve("ca.pem"));
        PKIXParameters otherParams = new PKIXParameters(Set.of(new TrustAnchor(otherCa, null)));
        otherParams.setRevocationEnabled(false);
        X509Certificate siteA = Pem.readCertificate(fed.siteKits().get("a").resolve("a.pem"));
        assertThrows(java.security.cert.CertPathValidatorException.class, () -> CertPathValidator.getInstance("PKIX")
                .validate(cf.generateCertPath(List.of(siteA)), otherParams), "another CA of the same name is not trusted");
    }

    @Test
    void serverCertificateIsForServerAuthAndSiteCertificatesForClientAuth() throws Exception {
        ProvisionedFederation fed = provisionDemo();
        X509Certificate server = Pem.readCertificate(fed.serverKit().resolve("server.pem"));
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertEquals("CN=fl.example.org,OU=server,O=demo", server.getSubjectX500Principal().getName());
        for (String s : List.of("a", "b", "c")) {
            X509Certificate site = Pem.readCertificate(fed.siteKits().get(s).resolve(s + ".pem"));
            assertEquals(List.of(CLIENT_AUTH), site.getExtendedKeyUsage());
            assertEquals("CN=" + s + ",OU=site,O=demo", site.getSubjectX500Principal().getName());
            assertEquals(new SiteIdentity("demo", s, site.getSerialNumber()), SiteIdentity.fromCertificate(site, "demo"));
        }
    }

    private static List<String> altNames(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
    }

    @Test
    void serverNamesItsHostAndLoopbackOnlyWhenLocalOrAsked() throws Exception {
        X509Certificate dns = Pem.readCertificate(provisionDemo().serverKit().resolve("server.pem"));
        assertEquals(List.of("fl.example.org"), altNames(dns));

        Provisioner p = new Provisioner(Clock.systemUTC(), TestFederations.seeded(3));
        FederationSpec ipSpec = new FederationSpec("demo", ServerAddress.parse("10.1.2.3:9000"), List.of("a"),
                FederationSpec.DEFAULT_CA_VALIDITY, Duration.ofDays(30), true);
        Path ipKit = p.provision(ipSpec, tmp.resolve("ip"), false).serverKit();
        X509Certificate ip = Pem.readCertificate(ipKit.resolve("server.pem"));
        assertEquals(List.of("10.1.2.3", "localhost", "127.0.0.1"), altNames(ip));
        assertEquals(7, (Integer) ip.getSubjectAlternativeNames().iterator().next().get(0), "an iPAddress name");

        FederationSpec local = FederationSpec.of("demo", ServerAddress.parse("localhost:9000"), List.of("a"));
        Path loKit = p.provision(local, tmp.resolve("lo"), false).serverKit();
        X509Certificate lo = Pem.readCertificate(loKit.resolve("server.pem"));
        assertEquals(List.of("localhost", "127.0.0.1"), altNames(lo));
    }

    @Test
    void everyPrivateKeyMatchesItsCertificateAndNoOther() {
        ProvisionedFederation fed = provisionDemo();
        X509Certificate siteA = Pem.readCertificate(fed.siteKits().get("a").resolve("a.pem"));
        X509Certificate siteB = Pem.readCertificate(fed.siteKits().get("b").resolve("b.pem"));
        assertTrue(KeyMatch.matches(Pem.readPrivateKey(fed.siteKits().get("a").resolve("a.key")), siteA.getPublicKey()));
        assertTrue(KeyMatch.matches(Pem.readPrivateKey(fed.siteKits().get("b").resolve("b.key")), siteB.getPublicKey()));
        assertFalse(KeyMatch.matches(Pem.readPrivateKey(fed.siteKits().get("a").resolve("a.key")), siteB.getPublicKey()));
        assertTrue(KeyMatch.matches(Pem.readPrivateKey(fed.serverKit().resolve("server.key")),
                Pem.readCertificate(fed.serverKit().resolve("server.pem")).getPublicKey()));
        assertTrue(KeyMatch.matches(Pem.readPrivateKey(fed.caDirectory().resolve("ca.key")),
                Pem.readCertificate(fed.caDirectory().resolve("ca.pem")).getPublicKey()));
    }

    @Test
    void privateKeysAndTheCaDirectoryAreOwnerOnly() throws IOException {
        assumeTrue(SecureFiles.supportsPosix(tmp), "POSIX permissions not supported here");
        ProvisionedFederation fed = provisionDemo();
        List<Path> keys = List.of(fed.caDirectory().resolve("ca.key"), fed.serverKit().resolve("server.key"),
                fed.siteKits().get("a").resolve("a.key"), fed.siteKits().get("b").resolve("b.key"),
                fed.siteKits().get("c").resolve("c.key"));
        for (Path k : keys) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(k)), k.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fed.caDirectory())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fed.directory())));
        assertTrue(Files.getPosixFilePermissions(fed.siteKits().get("a").resolve("a.pem"))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), "certificates stay readable");
    }

    @Test
    void manifestRecordsTheSerialsAndFingerprintsOfTheIssuedCertificates() {
        ProvisionedFederation fed = provisionDemo();
        FederationManifest m = FederationManifest.read(fed.manifest());
        assertEquals("demo", m.federation());
        assertEquals("fl.example.org:8443", m.server());
        assertEquals(List.of("a", "b", "c"), m.siteNames());
        assertEquals(1, m.crlNumber());
        for (String s : m.siteNames()) {
            X509Certificate cert = Pem.readCertificate(fed.siteKits().get(s).resolve(s + ".pem"));
            FederationManifest.Site entry = m.site(s).orElseThrow();
            assertEquals(cert.getSerialNumber(), entry.serial());
            assertEquals(CertificateSummary.sha256Fingerprint(cert), entry.certificate().sha256());
            assertFalse(entry.revoked());
        }
        X509Certificate ca = Pem.readCertificate(fed.caDirectory().resolve("ca.pem"));
        assertEquals(CertificateSummary.of(ca), m.ca());
        assertTrue(m.ca().sha256().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), m.ca().sha256());
    }

    @Test
    void caLastsThreeYearsByDefaultAndNoCertificateOutlivesIt() {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        FederationSpec spec = new FederationSpec("demo", ServerAddress.parse("fl.example.org:443"), List.of("a"),
                Duration.ofDays(100), Duration.ofDays(100), false);
        ProvisionedFederation fed = new Provisioner(TestFederations.fixed(now), TestFederations.seeded(4))
                .provision(spec, tmp.resolve("short"), false);
        X509Certificate ca = Pem.readCertificate(fed.caDirectory().resolve("ca.pem"));
        X509Certificate a = Pem.readCertificate(fed.siteKits().get("a").resolve("a.pem"));
        assertEquals(now.plus(Duration.ofDays(100)), ca.getNotAfter().toInstant());
        assertEquals(now.minus(Validity.CLOCK_SKEW), a.getNotBefore().toInstant());
        assertFalse(a.getNotAfter().after(ca.getNotAfter()));

        X509Certificate defaultCa = Pem.readCertificate(provisionDemo().caDirectory().resolve("ca.pem"));
        long days = Duration.between(defaultCa.getNotBefore().toInstant(), defaultCa.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 3 * 365 && days <= 3 * 366, "default CA validity is about three years, got " + days + " days");
    }

    @Test
    void kitsReadBackAsServerAndSiteKits() {
        ProvisionedFederation fed = provisionDemo();
        ServerKit server = ServerKit.load(fed.serverKit());
        assertEquals("demo", server.federation());
        assertEquals(new ServerAddress("fl.example.org", 8443), server.address());
        assertEquals(List.of("a", "b", "c"), server.sites());
        assertEquals(fed.serverKit().resolve("server.key"), server.privateKey());
        SiteKit site = SiteKit.load(fed.siteKits().get("b"));
        assertEquals("b", site.site());
        assertEquals("demo", site.federation());
        assertEquals(new ServerAddress("fl.example.org", 8443), site.server());
        assertEquals(fed.siteKits().get("b").resolve("b.pem"), site.certificate());
        assertEquals(fed.siteKits().get("b").resolve("ca.pem"), site.caCertificate());
    }

    @Test
    void existingDirectoryIsNotOverwrittenWithoutForce() throws IOException {
        Path dir = tmp.resolve("demo");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("keep.txt"), "precious");
        ProvisioningException e = assertThrows(ProvisioningException.class, this::provisionDemo);
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains(dir.toString()), e.getMessage());
        assertEquals("precious", Files.readString(dir.resolve("keep.txt")));
        assertEquals(List.of(dir), listTmp(), "no scratch directory left behind");
    }

    @Test
    void forceReplacesTheWholeFederationWithANewCa() throws IOException {
        ProvisionedFederation first = provisionDemo();
        String firstCa = Files.readString(first.caDirectory().resolve("ca.pem"));
        Files.writeString(first.directory().resolve("stale.txt"), "old");
        FederationSpec spec = FederationSpec.of("demo", ServerAddress.parse("fl.example.org:8443"), List.of("x"));
        ProvisionedFederation second = new Provisioner(Clock.systemUTC(), TestFederations.seeded(5))
                .provision(spec, first.directory(), true);
        assertNotEquals(firstCa, Files.readString(second.caDirectory().resolve("ca.pem")));
        assertFalse(Files.exists(second.directory().resolve("stale.txt")));
        assertFalse(Files.exists(second.directory().resolve("sites/a")));
        assertTrue(Files.isRegularFile(second.directory().resolve("sites/x/x.key")));
        assertEquals(List.of(first.directory()), listTmp(), "neither scratch nor replaced directory left behind");
    }

    @Test
    void emptyExistingDirectoryIsFilled() throws IOException {
        Files.createDirectories(tmp.resolve("demo"));
        ProvisionedFederation fed = provisionDemo();
        assertTrue(Files.isRegularFile(fed.manifest()));
    }

    @Test
    void failureHalfwayLeavesNoDirectoryBehind() throws IOException {
        Clock broken = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("clock failed");
            }
        };
        FederationSpec spec = FederationSpec.of("demo", ServerAddress.parse("fl.example.org:8443"), List.of("a"));
        Path dir = tmp.resolve("demo");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Provisioner(broken, TestFederations.seeded(6)).provision(spec, dir, false));
        assertEquals("clock failed", e.getMessage());
        assertFalse(Files.exists(dir));
        assertEquals(List.of(), listTmp(), "the scratch directory is removed");
    }

    @Test
    void kitFileWithAnUnknownKeyIsReportedWithFileAndKey() throws IOException {
        ProvisionedFederation fed = provisionDemo();
        Path config = fed.siteKits().get("a").resolve("site.yaml");
        Files.writeString(config, Files.readString(config) + "sever: typo.example.org:1\n");
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> SiteKit.load(fed.siteKits().get("a")));
        assertTrue(e.getMessage().contains(config.toString()) && e.getMessage().contains("'sever'"), e.getMessage());
    }

    @Test
    void fractionalCrlNumberInTheManifestIsRefusedWithLineAndKey() throws IOException {
        ProvisionedFederation fed = provisionDemo();
        Path manifest = fed.manifest();
        List<String> lines = Files.readAllLines(manifest);
        int row = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("crl_number:")) {
                row = i;
            }
        }
        assertTrue(row >= 0, "the manifest has a crl_number line");
        lines.set(row, "crl_number: 1.5");
        Files.write(manifest, lines);
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> FederationManifest.read(manifest));
        assertEquals(manifest + ": key 'crl_number' expects an integer, got '1.5' (line " + (row + 1) + ", column 13)",
                e.getMessage());
    }

    @Test
    void readingAKeyFromACertificateFileSaysWhatWasFound() {
        Path cert = provisionDemo().serverKit().resolve("server.pem");
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> Pem.readPrivateKey(cert));
        assertTrue(e.getMessage().contains(cert.toString()) && e.getMessage().contains("found a certificate"),
                e.getMessage());
    }

    private List<Path> listTmp() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }
}
