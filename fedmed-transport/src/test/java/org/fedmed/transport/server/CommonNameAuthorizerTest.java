package org.fedmed.transport.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.Set;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;

class CommonNameAuthorizerTest {

    @Test
    void siteIdIsTheCertificatesCommonName() throws Exception {
        X509Certificate cert = TestFederation.PKI.site("hospital-7").certificate();
        assertEquals("hospital-7", new CommonNameAuthorizer(Set.of()).authorize(new X509Certificate[]{cert}));
        assertEquals("hospital-7", new CommonNameAuthorizer(Set.of("hospital-7")).authorize(new X509Certificate[]{cert}));
    }

    @Test
    void siteNotOnTheMemberListIsRefusedWithTheList() {
        X509Certificate cert = TestFederation.PKI.site("intruder").certificate();
        var e = assertThrows(PeerRefusedException.class,
                () -> new CommonNameAuthorizer(Set.of("b", "a")).authorize(new X509Certificate[]{cert}));
        assertEquals("site 'intruder' is not a member of this federation (members: [a, b])", e.getMessage());
    }

    @Test
    void missingChainIsRefused() {
        var e = assertThrows(PeerRefusedException.class, () -> new CommonNameAuthorizer(Set.of()).authorize(new X509Certificate[0]));
        assertTrue(e.getMessage().contains("no client certificate"));
    }
}
