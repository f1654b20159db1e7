package org.fedmed.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The subject names fedmed puts in its certificates, and how to read them back. Every certificate of a
 * federation has the federation as its organization (O); sites have OU {@value #SITE_UNIT}, the server
 * OU {@value #SERVER_UNIT}; the common name (CN) is the site name or the server host.
 */
public final class CertificateNames {

    /** The organizational unit of every site certificate. */
    public static final String SITE_UNIT = "site";
    /** The organizational unit of the server certificate. */
    public static final String SERVER_UNIT = "server";

    private CertificateNames() {
    }

    /** {@code O=federation, CN=federation Federation CA}. */
    static X500Name ca(String federation) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, federation)
                .addRDN(BCStyle.CN, federation + " Federation CA").build();
    }

    /** {@code O=federation, OU=unit, CN=commonName}. */
    static X500Name participant(String federation, String unit, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, federation).addRDN(BCStyle.OU, unit)
                .addRDN(BCStyle.CN, commonName).build();
    }

    /** The one value of {@code attribute} in the certificate's subject; empty if absent or repeated. */
    static Optional<String> single(X509Certificate cert, ASN1ObjectIdentifier attribute) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(attribute);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return Optional.empty();
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return Optional.of(value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value));
    }

    /** The subject's common name (CN), if it has exactly one. */
    public static Optional<String> commonName(X509Certificate cert) {
        return single(cert, BCStyle.CN);
    }

    /** The subject's organization (O), if it has exactly one. */
    public static Optional<String> organization(X509Certificate cert) {
        return single(cert, BCStyle.O);
    }

    /** The subject's organizational unit (OU), if it has exactly one. */
    public static Optional<String> organizationalUnit(X509Certificate cert) {
        return single(cert, BCStyle.OU);
    }
}
