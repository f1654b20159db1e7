package org.fedmed.transport.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.fedmed.transport.ProtocolVersion.CURRENT;

import java.lang.reflect.Proxy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.fedmed.transport.DefinitionReport;
import org.fedmed.transport.proto.Hello;
import org.fedmed.transport.support.TestPki;
import org.fedmed.transport.wire.WireCodec;
import org.junit.jupiter.api.Test;

/**
 * The admission decision on its own, without a stream: what a Hello must carry and what the certificate must say,
 * and the re-check after the authorizer's lists change, with the exact reason a site is told.
 */
class SiteAdmissionTest {

    static final TestPki PKI = TestPki.create("admission-ca");
    static final X509Certificate SITE_A = PKI.site("a").certificate();

    /** A TLS session whose verified peer presented {@code chain}. */
    static SSLSession presenting(X509Certificate... chain) {
        return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(), new Class<?>[]{SSLSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPeerCertificates" -> (Certificate[]) chain.clone();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static Hello hello(int version, String siteId) {
        return Hello.newBuilder().setProtocolVersion(version).setSiteId(siteId).build();
    }

    static String refusal(SiteAdmission.Verdict v) {
        return assertInstanceOf(SiteAdmission.Verdict.Refused.class, v).reason();
    }

    final AtomicReference<PeerAuthorizer> authorizer = new AtomicReference<>(new CommonNameAuthorizer(Set.of("a", "b")));
    final SiteAdmission admission = new SiteAdmission(chain -> authorizer.get().authorize(chain), DefinitionCheck.NONE);

    @Test
    void aSiteWhoseCertificateNamesTheIdItClaimsIsAdmittedWithItsChain() {
        var v = admission.admit(hello(CURRENT, "a"), presenting(SITE_A), "127.0.0.1:5000");
        var admitted = assertInstanceOf(SiteAdmission.Verdict.Admitted.class, v);
        assertEquals("a", admitted.siteId());
        assertArrayEquals(new X509Certificate[]{SITE_A}, admitted.chain());
    }

    @Test
    void anotherProtocolVersionIsRefusedNamingBothVersions() {
        assertEquals("site 'a' speaks protocol version " + (CURRENT - 1) + " but this build speaks version " + CURRENT
                + " (older peers are refused: upgrade site 'a' so both speak the same version)",
                refusal(admission.admit(hello(CURRENT - 1, "a"), presenting(SITE_A), "peer")));
    }

    @Test
    void aClaimOtherThanTheCertificatesIdIsRefusedNamingBoth() {
        assertEquals("Hello claims site id 'b' but the certificate identifies site 'a'",
                refusal(admission.admit(hello(CURRENT, "b"), presenting(SITE_A), "peer")));
    }

    @Test
    void aConnectionWithoutTlsOrWithoutACertificateIsRefused() {
        assertEquals("the connection is not TLS; a site certificate is required",
                refusal(admission.admit(hello(CURRENT, "a"), null, "peer")));
        assertEquals("no client certificate was presented",
                refusal(admission.admit(hello(CURRENT, "a"), presenting(), "peer")));
    }

    @Test
    void aCertificateTheAuthorizerRefusesIsRefusedNamingItsSubject() {
        authorizer.set(new CommonNameAuthorizer(Set.of("b")));
        assertEquals("certificate 'O=fedmed-test,CN=a' is not admitted: site 'a' is not a member of this federation"
                + " (members: [b])", refusal(admission.admit(hello(CURRENT, "a"), presenting(SITE_A), "peer")));
    }

    @Test
    void theDefinitionCheckSeesTheReportedDefinitionAndItsRefusalNamesTheSite() {
        DefinitionReport report = new DefinitionReport("cd".repeat(32), List.of("age"), List.of("age:numeric"));
        AtomicReference<DefinitionReport> seen = new AtomicReference<>();
        SiteAdmission checking = new SiteAdmission(new CommonNameAuthorizer(Set.of()), r -> {
            seen.set(r);
            return Optional.of("column 'age' differs");
        });
        Hello h = hello(CURRENT, "a").toBuilder().setDefinition(WireCodec.toWire(report)).build();
        assertEquals("site 'a': column 'age' differs", refusal(checking.admit(h, presenting(SITE_A), "peer")));
        assertEquals(report, seen.get());
    }

    @Test
    void theRecheckCutsACertificateNoLongerAdmittedButKeepsItWhenTheAuthorizerFails() {
        assertEquals(Optional.empty(), admission.recheck(new X509Certificate[]{SITE_A}, "a", "site 'a'"));
        authorizer.set(new CommonNameAuthorizer(Set.of("b")));
        assertEquals(Optional.of("certificate 'O=fedmed-test,CN=a' is no longer admitted: site 'a' is not a member of"
                + " this federation (members: [b])"), admission.recheck(new X509Certificate[]{SITE_A}, "a", "site 'a'"));
        authorizer.set(chain -> {
            throw new IllegalStateException("CRL unreadable");
        });
        assertEquals(Optional.empty(), admission.recheck(new X509Certificate[]{SITE_A}, "a", "site 'a'"));
    }
}
