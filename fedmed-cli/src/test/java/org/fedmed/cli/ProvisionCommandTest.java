package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.fedmed.pki.FederationManifest;
import org.fedmed.pki.Pem;
import org.fedmed.pki.RevocationList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProvisionCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ProvisionCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
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

        Run unknown = run("revoke", "--kit", dir.toString(), "--site", "east");
        assertNotEquals(0, unknown.exit());
        assertTrue(unknown.err().contains("'east'"), unknown.err());
    }
}
