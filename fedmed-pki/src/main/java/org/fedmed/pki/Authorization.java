package org.fedmed.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fedmed.pki.AccessDeniedException.Reason;

/**
 * Decides whether a TLS peer is an authorized site of this federation. Given the peer's certificate chain
 * (as the TLS layer verified it, leaf first), it accepts the peer only if the leaf certificate
 *
 * <ol>
 *   <li>was issued and signed by this federation's CA (checked again here, whatever the TLS layer did),</li>
 *   <li>is valid now, and so is the CA certificate,</li>
 *   <li>is a site certificate (OU site, EKU clientAuth) of this federation (O),</li>
 *   <li>is not on the revocation list, and</li>
 *   <li>names a site on the federation's list of sites.</li>
 * </ol>
 *
 * It returns the site's identity, or throws an {@link AccessDeniedException} whose reason and message say
 * which rule failed. Immutable and safe to share between threads; to pick up a new CRL or sites list, build
 * a new one (for example with {@link #forServerKit} again).
 */
public final class Authorization {

    private final X509Certificate ca;
    private final String federation;
    private final Set<String> sites;
    private final RevocationList revocations;
    private final Clock clock;

    /**
     * @param ca          the federation CA certificate
     * @param federation  the federation's name; must be the CA's organization (O)
     * @param sites       the names of the sites allowed in
     * @param revocations the federation's CRL, issued by {@code ca}
     * @param clock       the clock validity is checked against
     */
    public Authorization(X509Certificate ca, String federation, Collection<String> sites, RevocationList revocations,
                         Clock clock) {
        Names.requireFederationName(federation);
        String caOrg = CertificateNames.organization(ca).orElse(null);
        if (!federation.equals(caOrg)) {
            throw new ProvisioningException("the CA certificate '" + ca.getSubjectX500Principal().getName()
                    + "' belongs to federation '" + caOrg + "', not '" + federation + "'");
        }
        if (!revocations.issuer().equals(ca)) {
            throw new ProvisioningException("the revocation list was issued by '"
                    + revocations.issuer().getSubjectX500Principal().getName() + "', not by the federation CA");
        }
        for (String s : sites) {
            Names.requireSiteName(s);
        }
        this.ca = ca;
        this.federation = federation;
        this.sites = Set.copyOf(new LinkedHashSet<>(sites));
        this.revocations = revocations;
        this.clock = clock;
    }

    /** The authorization a server kit describes: its CA, federation, sites list and CRL, on the system clock. */
    public static Authorization forServerKit(ServerKit kit) {
        return forServerKit(kit, Clock.systemUTC());
    }

    /** The authorization a server kit describes, checking validity against {@code clock}. */
    public static Authorization forServerKit(ServerKit kit, Clock clock) {
        X509Certificate ca = Pem.readCertificate(kit.caCertificate());
        return new Authorization(ca, kit.federation(), kit.sites(), RevocationList.load(kit.crl(), ca), clock);
    }

    /** {@link #authorize(List)} for the array {@code SSLSession.getPeerCertificates()} returns. */
    public SiteIdentity authorize(Certificate[] peerChain) throws AccessDeniedException {
        return authorize(peerChain == null ? List.of() : List.of(peerChain));
    }

    /**
     * The identity of the site that presented {@code peerChain} (leaf first), if it is allowed in.
     *
     * @throws AccessDeniedException naming the rule the peer broke
     */
    public SiteIdentity authorize(List<? extends Certificate> peerChain) throws AccessDeniedException {
        if (peerChain == null || peerChain.isEmpty()) {
            throw new AccessDeniedException(Reason.NO_CERTIFICATE, "the peer presented no certificate; every site of "
                    + "federation '" + federation + "' must present the certificate from its startup kit");
        }
        if (!(peerChain.getFirst() instanceof X509Certificate leaf)) {
            throw new AccessDeniedException(Reason.NO_CERTIFICATE, "the peer presented a "
                    + peerChain.getFirst().getType() + " certificate, not an X.509 one");
        }
        String subject = leaf.getSubjectX500Principal().getName();
        requireIssuedByCa(leaf, subject);
        Instant now = clock.instant();
        requireCurrent(ca, "the federation CA certificate '" + ca.getSubjectX500Principal().getName() + "'", now);
        requireCurrent(leaf, "certificate '" + subject + "'", now);
        SiteIdentity id = SiteIdentity.fromCertificate(leaf, federation);
        var revokedAt = revocations.revokedAt(leaf);
        if (revokedAt.isPresent()) {
            throw new AccessDeniedException(Reason.REVOKED, "the certificate of site '" + id.site() + "' (serial "
                    + leaf.getSerialNumber().toString(16) + ") was revoked at " + revokedAt.get());
        }
        if (!sites.contains(id.site())) {
            throw new AccessDeniedException(Reason.NOT_IN_FEDERATION, "site '" + id.site()
                    + "' is not in federation '" + federation + "' (its sites: " + String.join(", ", sortedSites()) + ")");
        }
        return id;
    }

    /** The federation this authorization admits sites to. */
    public String federation() {
        return federation;
    }

    /** The names of the sites allowed in. */
    public Set<String> sites() {
        return sites;
    }

    /** The serial numbers on the federation's revocation list (of certificates its CA issued). */
    public Set<BigInteger> revokedSerials() {
        return revocations.revokedSerials();
    }

    private void requireIssuedByCa(X509Certificate leaf, String subject) throws AccessDeniedException {
        String issuer = leaf.getIssuerX500Principal().getName();
        String expected = ca.getSubjectX500Principal().getName();
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new AccessDeniedException(Reason.UNKNOWN_ISSUER, "certificate '" + subject + "' was issued by '"
                    + issuer + "', not by the CA of federation '" + federation + "' ('" + expected + "')");
        }
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new AccessDeniedException(Reason.UNKNOWN_ISSUER, "certificate '" + subject + "' names '" + expected
                    + "' as its issuer but is not signed by the CA of federation '" + federation
                    + "' (another CA with the same name?)", e);
        }
    }

    private static void requireCurrent(X509Certificate cert, String what, Instant now) throws AccessDeniedException {
        try {
            cert.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new AccessDeniedException(Reason.EXPIRED, what + " expired at " + cert.getNotAfter().toInstant()
                    + " (now " + now + ")", e);
        } catch (CertificateNotYetValidException e) {
            throw new AccessDeniedException(Reason.NOT_YET_VALID, what + " is not valid before "
                    + cert.getNotBefore().toInstant() + " (now " + now + "); check the clocks", e);
        }
    }

    private List<String> sortedSites() {
        return sites.stream().sorted().toList();
    }
}
