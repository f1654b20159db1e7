package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/**
 * A federation's certificate revocation list, checked on load: it must be issued and signed by the
 * federation CA given. Answers whether a certificate of that CA has been revoked. Immutable; to pick up a
 * new CRL, load it again.
 */
public final class RevocationList {

    private final X509CRL crl;
    private final X509Certificate issuer;

    private RevocationList(X509CRL crl, X509Certificate issuer) {
        this.crl = crl;
        this.issuer = issuer;
    }

    /**
     * Reads {@code crlFile} and checks that {@code issuer} (the federation CA) issued and signed it.
     *
     * @throws ProvisioningException naming the file if it is unreadable, from another CA or badly signed
     */
    public static RevocationList load(Path crlFile, X509Certificate issuer) {
        return of(Pem.readCrl(crlFile), issuer, crlFile.toString());
    }

    /** Wraps {@code crl} after the same checks as {@link #load}; {@code source} names it in errors. */
    public static RevocationList of(X509CRL crl, X509Certificate issuer, String source) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new ProvisioningException(source + ": the CRL was issued by '" + crl.getIssuerX500Principal().getName()
                    + "', not by the federation CA '" + issuer.getSubjectX500Principal().getName() + "'");
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ProvisioningException(source + ": the CRL signature does not verify under the federation CA '"
                    + issuer.getSubjectX500Principal().getName() + "': " + e.getMessage(), e);
        }
        return new RevocationList(crl, issuer);
    }

    /** Whether {@code cert} (issued by this list's CA) has been revoked. */
    public boolean isRevoked(X509Certificate cert) {
        return revokedAt(cert).isPresent();
    }

    /** When {@code cert} was revoked, if it was; certificates of other issuers are never on this list. */
    public Optional<Instant> revokedAt(X509Certificate cert) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return Optional.empty();
        }
        X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
        return entry == null ? Optional.empty() : Optional.of(entry.getRevocationDate().toInstant());
    }

    /** When the certificate of this list's CA with serial {@code serial} was revoked, if it was. */
    public Optional<Instant> revokedAt(BigInteger serial) {
        X509CRLEntry entry = crl.getRevokedCertificate(serial);
        return entry == null ? Optional.empty() : Optional.of(entry.getRevocationDate().toInstant());
    }

    /** The serial numbers on the list. */
    public Set<BigInteger> revokedSerials() {
        Set<BigInteger> serials = new TreeSet<>();
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry e : crl.getRevokedCertificates()) {
                serials.add(e.getSerialNumber());
            }
        }
        return serials;
    }

    /** The CRL number (it goes up with each revocation); 0 if the CRL has none. */
    public long number() {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return 0;
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).longValueExact();
    }

    /** When this CRL was issued. */
    public Instant thisUpdate() {
        return crl.getThisUpdate().toInstant();
    }

    /** The CA that signed this list. */
    public X509Certificate issuer() {
        return issuer;
    }

    /** The CRL itself. */
    public X509CRL crl() {
        return crl;
    }
}
