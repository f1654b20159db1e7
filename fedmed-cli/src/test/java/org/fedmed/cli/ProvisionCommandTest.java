package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedmed.pki.FederationManifest;
import org.fedmed.pki.Pem;
import org.fedmed.pki.RevocationList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProvisionCommandTest {

    record Run(int exit, String out, String err) {
    }

    /** {@code fedmed provision args...}, through the command line's own error handling and exit codes. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FedmedCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "provision";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    static Run provision(Path dir, String sites, String... extra) {
        String[] base = {"--federation", "demo", "--server", "fl.example.org:8443", "--sites", sites,
                "--out", dir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void provisionWritesOneKitPerParticipantAndListsEveryFile(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("fed");
        Run r = provision(dir, "north,south");
        assertEquals(0, r.exit(), r.err());
        for (String f : new String[]{"federation.yaml", "ca/ca.key", "server/server.pem", "server/server.key",
                "server/crl.pem", "server/sites.txt", "sites/north/north.key", "sites/south/site.yaml"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            assertTrue(r.out().contains("  " + f + System.lineSeparator()), "output lists " + f + ":\n" + r.out());
        }
        long written;
        try (var files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).count();
        }
        assertTrue(r.out().contains("wrote " + written + " files:"), "reports the count of files on disk:\n" + r.out());
        assertTrue(r.out().contains("keep ca/ offline"), r.out());
        assertEquals(List.of("north", "south"), FederationManifest.read(dir.resolve("federation.yaml")).siteNames());
    }

    @Test
    void badSiteNameIsAnErrorNamingIt(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        Run r = provision(dir, "north,South-Wing");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("'South-Wing'"), r.err());
        assertFalse(Files.exists(dir), "nothing is written for a rejected request");
    }

    @Test
    void existingDirectoryNeedsForce(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north").exit());
        String firstCa = Files.readString(dir.resolve("ca/ca.pem"));
        Run again = provision(dir, "north");
        assertNotEquals(0, again.exit());
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again.err());
        assertEquals(firstCa, Files.readString(dir.resolve("ca/ca.pem")), "the first federation is untouched");

        Run forced = provision(dir, "north", "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertNotEquals(firstCa, Files.readString(dir.resolve("ca/ca.pem")));
    }

    @Test
    void missingRequiredOptionIsAUsageError(@TempDir Path tmp) {
        Run r = run("--federation", "demo", "--sites", "a", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--server"), r.err());
    }

    @Test
    void revokePutsTheSiteOnTheCrlAndInTheManifest(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north,south").exit());
        Run r = run("revoke", "--kit", dir.toString(), "--site", "south");
        assertEquals(0, r.exit(), r.err());
        X509Certificate south = Pem.readCertificate(dir.resolve("sites/south/south.pem"));
        assertTrue(r.out().contains(south.getSerialNumber().toString(16)), r.out());
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca/ca.pem"));
        RevocationList crl = RevocationList.load(dir.resolve("server/crl.pem"), ca);
        assertTrue(crl.isRevoked(south));
        assertFalse(crl.isRevoked(Pem.readCertificate(dir.resolve("sites/north/north.pem"))));
        assertTrue(FederationManifest.read(dir.resolve("federation.yaml")).site("south").orElseThrow().revoked());
        assertTrue(r.out().contains("took site 'south' off " + dir.resolve("server/sites.txt")), r.out());
        assertTrue(r.out().contains("next: copy crl.pem and sites.txt into the running server's kit"), r.out());

        Run unknown = run("revoke", "--kit", dir.toString(), "--site", "east");
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.err().contains("'east'"), unknown.err());
    }

    @Test
    void validityDaysIsTheCertificatesLifetimeAndTheFederationsDefault(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        Instant before = Instant.now();
        Run r = provision(dir, "north", "--validity-days", "20");
        assertEquals(0, r.exit(), r.err());
        X509Certificate north = Pem.readCertificate(dir.resolve("sites/north/north.pem"));
        assertBetween(before.plus(Duration.ofDays(20)), north.getNotAfter().toInstant());
        assertEquals(java.util.Optional.of(Duration.ofDays(20)),
                FederationManifest.read(dir.resolve("federation.yaml")).defaultValidity());

        Run added = run("add-site", "--kit", dir.toString(), "--site", "east");
        assertEquals(0, added.exit(), added.err());
        assertBetween(before.plus(Duration.ofDays(20)),
                Pem.readCertificate(dir.resolve("sites/east/east.pem")).getNotAfter().toInstant());
        Run asked = run("add-site", "--kit", dir.toString(), "--site", "west", "--validity-days", "5");
        assertEquals(0, asked.exit(), asked.err());
        assertBetween(before.plus(Duration.ofDays(5)),
                Pem.readCertificate(dir.resolve("sites/west/west.pem")).getNotAfter().toInstant());

        Run zero = provision(tmp.resolve("other"), "north", "--validity-days", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("option '--validity-days': expected at least 1 day, got 0"), zero.err());
    }

    /** {@code actual} lies within a minute after {@code earliest}: the command ran in between. */
    private static void assertBetween(Instant earliest, Instant actual) {
        assertFalse(actual.isBefore(earliest.minusSeconds(1)), actual + " before " + earliest);
        assertTrue(actual.isBefore(earliest.plusSeconds(60)), actual + " long after " + earliest);
    }

    @Test
    void addSiteWritesItsKitAppendsItToSitesTxtAndLeavesTheOtherKitsAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north,south").exit());
        Map<Path, String> before = contents(dir);

        Run r = run("add-site", "--kit", dir.toString(), "--site", "east");
        assertEquals(0, r.exit(), r.err());
        X509Certificate east = Pem.readCertificate(dir.resolve("sites/east/east.pem"));
        assertTrue(r.out().startsWith("added site 'east' to federation 'demo': certificate serial "
                + east.getSerialNumber().toString(16) + ", valid until " + east.getNotAfter().toInstant()), r.out());
        for (String f : new String[]{"sites/east/site.yaml", "sites/east/ca.pem", "sites/east/east.pem",
                "sites/east/east.key", "federation.yaml", "server/sites.txt"}) {
            assertTrue(r.out().contains("  " + f + System.lineSeparator()), "output lists " + f + ":\n" + r.out());
        }
        assertTrue(r.out().contains("the server admits the site once it re-reads sites.txt"), r.out());

        Map<Path, String> after = contents(dir);
        assertEquals(before.get(Path.of("server/sites.txt")) + "east\n", after.get(Path.of("server/sites.txt")));
        for (Path p : before.keySet()) {
            if (!p.equals(Path.of("server/sites.txt")) && !p.equals(Path.of("federation.yaml"))) {
                assertEquals(before.get(p), after.get(p), p + " is byte-identical");
            }
        }
        assertEquals(List.of("north", "south", "east"),
                FederationManifest.read(dir.resolve("federation.yaml")).siteNames());
    }

    @Test
    void addSiteRefusesAnExistingNameABadNameAndAMissingCaWithExitTwo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north").exit());
        Map<Path, String> before = contents(dir);

        Run existing = run("add-site", "--kit", dir.toString(), "--site", "north");
        assertEquals(2, existing.exit());
        assertEquals("error: federation 'demo' already has a site 'north' (" + dir.resolve("federation.yaml")
                + "); choose another name, or renew its certificate with 'fedmed provision renew --site north'"
                + System.lineSeparator(), existing.err());

        Run bad = run("add-site", "--kit", dir.toString(), "--site", "East");
        assertEquals(2, bad.exit());
        assertEquals("error: invalid site name 'East': expected " + org.fedmed.pki.Names.SITE_NAME_RULE
                + System.lineSeparator(), bad.err());

        Path caKey = dir.resolve("ca/ca.key");
        Files.delete(caKey);
        before.remove(Path.of("ca/ca.key"));
        Run noCa = run("add-site", "--kit", dir.toString(), "--site", "east");
        assertEquals(2, noCa.exit());
        assertTrue(noCa.err().startsWith("error: add-site needs the federation CA, but " + caKey + " does not exist"),
                noCa.err());
        assertEquals(before, contents(dir), "a refused add-site writes nothing");

        Run noDir = run("add-site", "--kit", tmp.resolve("nowhere").toString(), "--site", "east");
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("is not a federation directory"), noDir.err());

        Run missingSite = run("add-site", "--kit", dir.toString());
        assertEquals(2, missingSite.exit());
        assertTrue(missingSite.err().contains("--site"), missingSite.err());
    }

    @Test
    void renewASiteThenRevokeItsOldCertificateBySerial(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north,south").exit());
        X509Certificate old = Pem.readCertificate(dir.resolve("sites/south/south.pem"));
        String northKit = contents(dir).get(Path.of("sites/north/north.key"));

        Run r = run("renew", "--kit", dir.toString(), "--site", "south", "--validity-days", "9");
        assertEquals(0, r.exit(), r.err());
        X509Certificate renewed = Pem.readCertificate(dir.resolve("sites/south/south.pem"));
        String oldHex = old.getSerialNumber().toString(16);
        assertTrue(r.out().startsWith("renewed the certificate of site 'south' of federation 'demo': serial "
                + renewed.getSerialNumber().toString(16) + " replaces " + oldHex), r.out());
        assertTrue(r.out().contains("  fedmed provision revoke --kit " + dir + " --serial " + oldHex), r.out());
        assertTrue(r.out().contains("restart its fedmed site process"), r.out());
        assertEquals(northKit, contents(dir).get(Path.of("sites/north/north.key")));
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca/ca.pem"));
        assertFalse(RevocationList.load(dir.resolve("server/crl.pem"), ca).isRevoked(old), "renewing revokes nothing");

        Run revoke = run("revoke", "--kit", dir.toString(), "--serial", oldHex);
        assertEquals(0, revoke.exit(), revoke.err());
        assertTrue(revoke.out().startsWith("revoked certificate serial " + oldHex + " of site 'south' of federation"
                + " 'demo', at "), revoke.out());
        RevocationList crl = RevocationList.load(dir.resolve("server/crl.pem"), ca);
        assertTrue(crl.isRevoked(old));
        assertFalse(crl.isRevoked(renewed));

        Run again = run("revoke", "--kit", dir.toString(), "--serial", oldHex);
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("is already revoked"), again.err());
        Run garbage = run("revoke", "--kit", dir.toString(), "--serial", "xyz");
        assertEquals(2, garbage.exit());
        assertTrue(garbage.err().contains("option '--serial': expected a positive hexadecimal serial"), garbage.err());
    }

    @Test
    void renewTheServerWithRevokeOld(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north").exit());
        X509Certificate old = Pem.readCertificate(dir.resolve("server/server.pem"));
        Run r = run("renew", "--kit", dir.toString(), "--server", "--revoke-old");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("restart the server with it"), r.out());
        assertTrue(r.out().contains("the old server certificate (serial " + old.getSerialNumber().toString(16)
                + ") stays valid until it expires, but its key was deleted with the old kit; sites check the server"
                + " against the CA, not the CRL, so its revocation (CRL number 2) records it as retired and changes"
                + " nothing else."), r.out());
        X509Certificate renewed = Pem.readCertificate(dir.resolve("server/server.pem"));
        assertNotEquals(old.getSerialNumber(), renewed.getSerialNumber());
        assertEquals(old.getSubjectX500Principal(), renewed.getSubjectX500Principal());

        Run again = run("renew", "--kit", dir.toString(), "--server");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("revoking it would only record it as retired (fedmed provision revoke"),
                again.out());
        Run status = run("status", "--kit", dir.toString());
        assertFalse(status.out().contains("superseded certificate"), "no advice to revoke a superseded server"
                + " certificate, which would change nothing: " + status.out());
    }

    @Test
    void renewNeedsExactlyOneOfSiteAndServer(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north").exit());
        Run both = run("renew", "--kit", dir.toString(), "--site", "north", "--server");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Run neither = run("renew", "--kit", dir.toString());
        assertEquals(2, neither.exit());
        assertTrue(neither.err().contains("--site") && neither.err().contains("--server"), neither.err());
        Run unknown = run("renew", "--kit", dir.toString(), "--site", "east");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("has no site 'east'"), unknown.err());
    }

    @Test
    void statusListsEveryCertificateAndWarnsAboutThoseExpiringSoon(@TempDir Path tmp) {
        Path dir = tmp.resolve("fed");
        assertEquals(0, provision(dir, "north,south", "--validity-days", "20").exit());
        assertEquals(0, run("renew", "--kit", dir.toString(), "--site", "north", "--validity-days", "90").exit());
        assertEquals(0, run("revoke", "--kit", dir.toString(), "--site", "south").exit());
        X509Certificate north = Pem.readCertificate(dir.resolve("sites/north/north.pem"));

        Run r = run("status", "--kit", dir.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("federation 'demo', server fl.example.org:8443, at "), r.out());
        assertTrue(lines.get(1).startsWith("CA valid until "), r.out());
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("PARTICIPANT")).findFirst().orElseThrow());
        assertEquals(List.of("PARTICIPANT", "CERTIFICATE", "SERIAL", "NOT", "BEFORE", "NOT", "AFTER", "DAYS", "LEFT",
                "STATE", "MEMBER"), List.of(lines.get(header).split(" +")));
        List<List<String>> rows = lines.subList(header + 1, header + 5).stream()
                .map(l -> List.of(l.split(" +"))).toList();
        assertEquals(List.of("server", "current"), rows.get(0).subList(0, 2));
        assertEquals(List.of("site", "north", "current", north.getSerialNumber().toString(16)),
                rows.get(1).subList(0, 4));
        assertEquals(List.of("89", "valid", "yes"), rows.get(1).subList(6, 9));
        assertEquals(List.of("site", "north", "superseded"), rows.get(2).subList(0, 3));
        assertEquals(List.of("19", "expiring", "yes"), rows.get(2).subList(6, 9));
        assertEquals(List.of("site", "south", "current"), rows.get(3).subList(0, 3));
        assertEquals("revoked", rows.get(3).get(7));
        assertTrue(r.out().contains("warnings:"), r.out());
        assertTrue(r.out().contains("  - server: certificate "), r.out());
        assertTrue(r.out().contains(" expires in 19 days"), r.out());
        assertTrue(r.out().contains("  - site 'north': superseded certificate "), r.out());

        Run quiet = run("status", "--kit", dir.toString(), "--warn-days", "0");
        assertEquals(0, quiet.exit(), quiet.err());
        assertFalse(quiet.out().contains("expires in"), quiet.out());
    }

    private static Map<Path, String> contents(Path root) throws Exception {
        Map<Path, String> files = new java.util.TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals(".lock")) {
                    files.put(root.relativize(p), Files.readString(p));
                }
            }
        }
        return files;
    }
}
