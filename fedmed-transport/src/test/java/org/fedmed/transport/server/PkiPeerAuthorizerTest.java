package org.fedmed.transport.server;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.fedmed.pki.Enroller;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.Pem;
import org.fedmed.pki.ProvisionedFederation;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.Revoker;
import org.fedmed.pki.ServerAddress;
import org.fedmed.pki.ServerKit;
import org.fedmed.pki.SiteKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiPeerAuthorizerTest {

    static X509Certificate[] chainOf(Path siteKit) {
        return new X509Certificate[]{Pem.readCertificate(SiteKit.load(siteKit).certificate())};
    }

    /** Federation "demo" with sites lyon and basel, provisioned in {@code dir/fed}. */
    static ProvisionedFederation lyonAndBasel(Path dir) {
        return new Provisioner().provision(FederationSpec.of("demo", ServerAddress.parse("127.0.0.1:7443"),
                List.of("lyon", "basel")), dir.resolve("fed"), false);
    }

    @Test
    void provisionedSiteIsAdmittedByNameAndARevokedOneIsRefusedAfterReload(@TempDir Path dir) throws Exception {
        ProvisionedFederation provisioned = lyonAndBasel(dir);
        Path fed = provisioned.directory();
        var authorizer = new PkiPeerAuthorizer(ServerKit.load(provisioned.serverKit()));
        assertEquals("lyon", authorizer.authorize(chainOf(provisioned.siteKits().get("lyon"))));
        assertEquals("basel", authorizer.authorize(chainOf(provisioned.siteKits().get("basel"))));

        new Revoker().revoke(fed, "basel");
        assertEquals("basel", authorizer.authorize(chainOf(provisioned.siteKits().get("basel"))),
                "the CRL is read again only on reload");
        authorizer.reload();
        var e = assertThrows(PeerRefusedException.class,
                () -> authorizer.authorize(chainOf(provisioned.siteKits().get("basel"))));
        assertTrue(e.getMessage().toLowerCase().contains("revoked"), e.getMessage());
        assertEquals("lyon", authorizer.authorize(chainOf(provisioned.siteKits().get("lyon"))));
    }

    @Test
    void reloadNamesTheSiteAddedAndTheSerialRevokedAndNothingWhenNothingChanged(@TempDir Path dir) throws Exception {
        ProvisionedFederation provisioned = lyonAndBasel(dir);
        Path fed = provisioned.directory();
        var authorizer = new PkiPeerAuthorizer(ServerKit.load(provisioned.serverKit()));
        assertTrue(authorizer.reload().isEmpty());
        assertEquals("no change", authorizer.reload().describe());

        new Enroller().enroll(fed, "bern", Duration.ofDays(30));
        var added = authorizer.reload();
        assertEquals(List.of("bern"), added.admitted());
        assertEquals(List.of(), added.removed());
        assertEquals(List.of(), added.revoked());
        assertEquals("site list: admitted [bern]", added.describe());

        BigInteger basel = chainOf(provisioned.siteKits().get("basel"))[0].getSerialNumber();
        new Revoker().revoke(fed, "basel");
        var revoked = authorizer.reload();
        assertEquals(List.of(basel), revoked.revoked());
        assertEquals("site list: removed [basel]; revocation list: revoked serial(s) " + basel.toString(16),
                revoked.describe(), "a site revoked by name also leaves the site list");
        assertTrue(authorizer.reload().isEmpty(), "a serial already on the list is not reported again");

        Path sites = provisioned.serverKit().resolve("sites.txt");
        Files.write(sites, Files.readAllLines(sites).stream().filter(l -> !l.trim().equals("lyon")).toList());
        var removed = authorizer.reload();
        assertEquals(List.of("lyon"), removed.removed());
        assertEquals("site list: removed [lyon]", removed.describe());
        assertThrows(PeerRefusedException.class,
                () -> authorizer.authorize(chainOf(provisioned.siteKits().get("lyon"))));
    }

    @Test
    void siteFromAnotherFederationIsRefused(@TempDir Path dir) throws Exception {
        var ours = new Provisioner().provision(
                FederationSpec.of("demo", ServerAddress.parse("127.0.0.1:7443"), List.of("lyon")), dir.resolve("a"), false);
        var theirs = new Provisioner().provision(
                FederationSpec.of("other", ServerAddress.parse("127.0.0.1:7443"), List.of("lyon")), dir.resolve("b"), false);
        var authorizer = new PkiPeerAuthorizer(ServerKit.load(ours.serverKit()));
        assertThrows(PeerRefusedException.class, () -> authorizer.authorize(chainOf(theirs.siteKits().get("lyon"))));
    }
}
