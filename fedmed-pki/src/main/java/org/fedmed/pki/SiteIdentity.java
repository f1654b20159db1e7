package org.fedmed.pki;

import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * Who a site certificate says its holder is: the site's name (subject CN) in a federation (subject O).
 * Reading an identity only checks the certificate's form (OU {@value CertificateNames#SITE_UNIT}, EKU
 * clientAuth, a valid site name); whether the certificate is trusted, current and not revoked is
 * {@link Authorization}'s job.
 *
 * @param federation the federation named in the certificate
 * @param site       the site name
 * @param serial     the certificate's serial number
 */
public record SiteIdentity(String federation, String site, BigInteger serial) {

    private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

    public SiteIdentity {
        Names.requireFederationName(federation);
        Names.requireSiteName(site);
        if (serial == null) {
            throw new IllegalArgumentException("serial is missing for site '" + site + "'");
        }
    }

    /**
     * The identity in a site certificate.
     *
     * @throws AccessDeniedException ({@link AccessDeniedException.Reason#NOT_A_SITE_CERTIFICATE}) if the
     *                               certificate is not a fedmed site certificate, naming what is missing
     */
    public static SiteIdentity fromCertificate(X509Certificate cert) throws AccessDeniedException {
        String subject = cert.getSubjectX500Principal().getName();
        String unit = CertificateNames.organizationalUnit(cert).orElse(null);
        if (!CertificateNames.SITE_UNIT.equals(unit)) {
            throw notASite(subject, "its OU is " + (unit == null ? "absent" : "'" + unit + "'")
                    + ", expected '" + CertificateNames.SITE_UNIT + "'");
        }
        if (!hasClientAuth(cert, subject)) {
            throw notASite(subject, "it lacks the clientAuth extended key usage");
        }
        String cn = CertificateNames.commonName(cert).orElse(null);
        if (!Names.isValidSiteName(cn)) {
            throw notASite(subject, "its CN " + (cn == null ? "is absent" : "'" + cn + "' is not a site name ("
                    + Names.SITE_NAME_RULE + ")"));
        }
        String org = CertificateNames.organization(cert).orElse(null);
        if (org == null) {
            throw notASite(subject, "it has no single O naming its federation");
        }
        try {
            return new SiteIdentity(Names.requireFederationName(org), cn, cert.getSerialNumber());
        } catch (ProvisioningException e) {
            throw notASite(subject, e.getMessage());
        }
    }

    /**
     * The identity in a site certificate of {@code federation}.
     *
     * @throws AccessDeniedException {@code NOT_A_SITE_CERTIFICATE} as {@link #fromCertificate(X509Certificate)},
     *                               or {@code WRONG_FEDERATION} if the certificate's O is another federation
     */
    public static SiteIdentity fromCertificate(X509Certificate cert, String federation) throws AccessDeniedException {
        SiteIdentity id = fromCertificate(cert);
        if (!id.federation().equals(federation)) {
            throw new AccessDeniedException(AccessDeniedException.Reason.WRONG_FEDERATION, "site certificate '"
                    + cert.getSubjectX500Principal().getName() + "' belongs to federation '" + id.federation()
                    + "', not '" + federation + "'");
        }
        return id;
    }

    private static boolean hasClientAuth(X509Certificate cert, String subject) throws AccessDeniedException {
        try {
            List<String> usages = cert.getExtendedKeyUsage();
            return usages != null && usages.contains(CLIENT_AUTH);
        } catch (CertificateParsingException e) {
            throw new AccessDeniedException(AccessDeniedException.Reason.NOT_A_SITE_CERTIFICATE, "certificate '"
                    + subject + "' is not a site certificate: its extended key usage is malformed: " + e.getMessage(), e);
        }
    }

    private static AccessDeniedException notASite(String subject, String why) {
        return new AccessDeniedException(AccessDeniedException.Reason.NOT_A_SITE_CERTIFICATE,
                "certificate '" + subject + "' is not a site certificate: " + why);
    }
}
