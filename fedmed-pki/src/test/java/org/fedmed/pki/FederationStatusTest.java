package org.fedmed.pki;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fedmed.pki.FederationStatus.Entry;
import org.fedmed.pki.FederationStatus.Membership;
import org.fedmed.pki.FederationStatus.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationStatusTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration WARN = Duration.ofDays(30);

    @TempDir
    Path tmp;

    private ProvisionedFederation fed;
    private BigInteger oldA;

    /** a renewed at day 20, c revoked at day 10, b taken off sites.txt; certificates last 100 days. */
    private void provisionAndOperate() throws IOException {
        fed = TestFederations.provisionAt(tmp.resolve("demo"), T0, Duration.ofDays(1000), Duration.ofDays(100), 41);
        oldA = serialIn(fed.siteKits().get("a").resolve("a.pem"));
        new Revoker(TestFederations.fixed(T0.plus(Duration.ofDays(10))), TestFederations.seeded(42))
                .revoke(fed.directory(), "c");
        new Renewer(TestFederations.fixed(T0.plus(Duration.ofDays(20))), TestFederations.seeded(43))
                .renew(fed.directory(), Participant.site("a"), null, false);
        Path sites = fed.serverKit().resolve("sites.txt");
        Files.writeString(sites, Files.readString(sites).replace("b\n", ""));
    }

    private static BigInteger serialIn(Path pem) {
        return Pem.readCertificate(pem).getSerialNumber();
    }

    private FederationStatus statusAtDay(int day) {
        return FederationStatus.read(fed.directory(), TestFederations.fixed(T0.plus(Duration.ofDays(day))), WARN);
    }

    @Test
    void everyCertificateIsListedWithItsExpiryRevocationAndMembership() throws IOException {
        provisionAndOperate();
        FederationStatus s = statusAtDay(80);
        assertEquals("demo", s.federation());
        assertEquals("fl.example.org:8443", s.server());
        assertEquals(2, s.crlNumber());
        assertEquals(T0.plus(Duration.ofDays(1000)), s.ca().notAfter());

        BigInteger server = serialIn(fed.serverKit().resolve("server.pem"));
        BigInteger newA = serialIn(fed.siteKits().get("a").resolve("a.pem"));
        BigInteger b = serialIn(fed.siteKits().get("b").resolve("b.pem"));
        BigInteger c = serialIn(fed.siteKits().get("c").resolve("c.pem"));
        Instant issued = T0.minus(Validity.CLOCK_SKEW);
        Validity first = new Validity(issued, T0.plus(Duration.ofDays(100)));
        assertEquals(List.of(
                new Entry(Participant.server(), true, server, first, 20, Optional.empty(), Membership.NOT_APPLICABLE,
                        State.EXPIRING),
                new Entry(Participant.site("a"), true, newA, new Validity(T0.plus(Duration.ofDays(20))
                        .minus(Validity.CLOCK_SKEW), T0.plus(Duration.ofDays(120))), 40, Optional.empty(),
                        Membership.MEMBER, State.VALID),
                new Entry(Participant.site("a"), false, oldA, first, 20, Optional.empty(), Membership.MEMBER,
                        State.EXPIRING),
                new Entry(Participant.site("b"), true, b, first, 20, Optional.empty(), Membership.NOT_LISTED,
                        State.EXPIRING),
                new Entry(Participant.site("c"), true, c, first, 20, Optional.of(T0.plus(Duration.ofDays(10))),
                        Membership.NOT_LISTED, State.REVOKED)), s.certificates());
    }

    @Test
    void warningsNameWhatExpiresWhatIsStillValidAndWhoIsNotListed() throws IOException {
        provisionAndOperate();
        String dir = fed.directory().toString();
        List<String> w = statusAtDay(80).warnings();
        assertEquals(List.of(
                "server: certificate " + hex(fed.serverKit().resolve("server.pem")) + " expires in 20 days"
                        + " (2030-04-11T00:00:00Z); renew it: fedmed provision renew --kit " + dir + " --server",
                "site 'a': superseded certificate " + oldA.toString(16) + " is still valid until 2030-04-11T00:00:00Z;"
                        + " once the holder runs with its renewed kit, revoke it: fedmed provision revoke --kit " + dir
                        + " --serial " + oldA.toString(16),
                "site 'b': certificate " + hex(fed.siteKits().get("b").resolve("b.pem")) + " expires in 20 days"
                        + " (2030-04-11T00:00:00Z); renew it: fedmed provision renew --kit " + dir + " --site b",
                "site 'b' is not on the server's sites list, so the server refuses it; add the line 'b' to its"
                        + " sites.txt to admit it"), w);
    }

    @Test
    void nothingToWarnAboutEarlyOn() throws IOException {
        provisionAndOperate();
        Path sites = fed.serverKit().resolve("sites.txt");
        Files.writeString(sites, Files.readString(sites) + "b\n");
        new Revoker(TestFederations.fixed(T0.plus(Duration.ofDays(21))), TestFederations.seeded(44))
                .revokeSerial(fed.directory(), oldA);
        assertEquals(List.of(), statusAtDay(30).warnings());
    }

    @Test
    void expiredCertificatesAreMarkedAndWarnedAbout() throws IOException {
        provisionAndOperate();
        FederationStatus s = statusAtDay(101);
        Entry server = s.certificates().getFirst();
        assertEquals(State.EXPIRED, server.state());
        assertEquals(-1, server.daysLeft());
        assertTrue(s.warnings().getFirst().startsWith("server: certificate " + server.serial().toString(16)
                + " expired at 2030-04-11T00:00:00Z; renew it"), s.warnings().getFirst());
        assertEquals(State.REVOKED, s.certificates().getLast().state(), "revoked comes before expired");
    }

    @Test
    void aKitHoldingAnotherCertificateThanTheManifestIsWarnedAbout() throws IOException {
        provisionAndOperate();
        Path kitA = fed.siteKits().get("a");
        String recorded = hex(kitA.resolve("a.pem"));
        Files.copy(fed.siteKits().get("b").resolve("b.pem"), kitA.resolve("a.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(statusAtDay(30).warnings().contains("the kit " + kitA + " holds certificate "
                + hex(fed.siteKits().get("b").resolve("b.pem")) + ", but federation.yaml records " + recorded
                + " as current; the kit was changed by hand or a renewal did not finish"));
    }

    @Test
    void aCrlThatLacksARecordedRevocationIsWarnedAbout() throws IOException {
        fed = TestFederations.provisionAt(tmp.resolve("demo"), T0, Duration.ofDays(1000), Duration.ofDays(100), 45);
        Path crl = fed.serverKit().resolve("crl.pem");
        String original = Files.readString(crl);
        new Revoker(TestFederations.fixed(T0), TestFederations.seeded(46)).revoke(fed.directory(), "b");
        Files.writeString(crl, original);
        FederationStatus s = statusAtDay(1);
        Entry b = s.certificates().get(2);
        assertEquals(State.VALID, b.state(), "the CRL is what the server enforces");
        assertEquals(List.of("site 'b': federation.yaml records certificate " + b.serial().toString(16) + " as revoked,"
                + " but " + crl + " does not list it, so the server admits it; revoke it again or restore the CRL"),
                s.warnings());
    }

    @Test
    void readingTheStatusChangesNothing() throws IOException {
        provisionAndOperate();
        var before = TestFederations.snapshot(fed.directory());
        statusAtDay(80);
        assertEquals(before, TestFederations.snapshot(fed.directory()));
    }

    private static String hex(Path pem) {
        return serialIn(pem).toString(16);
    }
}
