package org.fedmed.pki;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * What the federation manifest records of a certificate, so an operator can check by eye that a file is
 * the one issued: its subject, serial number (hex), SHA-256 fingerprint of the DER encoding (colon-separated
 * upper-case hex, as {@code openssl x509 -fingerprint -sha256} prints it) and validity (ISO-8601 instants).
 */
public record CertificateSummary(String subject, String serial, String sha256, String notBefore, String notAfter) {

    public CertificateSummary {
        if (subject == null || serial == null || sha256 == null) {
            throw new ProvisioningException("a certificate summary needs subject, serial and sha256; got subject="
                    + subject + ", serial=" + serial + ", sha256=" + sha256);
        }
    }

    /** The serial number. */
    public BigInteger serialNumber() {
        return new BigInteger(serial, 16);
    }

    /**
     * The validity period recorded.
     *
     * @throws ProvisioningException if the summary lacks {@code not_before} or {@code not_after}, or they are not
     *                               ISO-8601 instants
     */
    public Validity validity() {
        try {
            return new Validity(Instant.parse(require(notBefore, "not_before")), Instant.parse(require(notAfter,
                    "not_after")));
        } catch (DateTimeParseException e) {
            throw new ProvisioningException("certificate summary of '" + subject + "' (serial " + serial
                    + "): not_before/not_after are not ISO-8601 instants: " + e.getMessage(), e);
        }
    }

    private String require(String value, String key) {
        if (value == null) {
            throw new ProvisioningException("certificate summary of '" + subject + "' (serial " + serial + ") lacks "
                    + key);
        }
        return value;
    }

    /** The summary of {@code cert}. */
    public static CertificateSummary of(X509Certificate cert) {
        return new CertificateSummary(cert.getSubjectX500Principal().getName(), cert.getSerialNumber().toString(16),
                sha256Fingerprint(cert), cert.getNotBefore().toInstant().toString(),
                cert.getNotAfter().toInstant().toString());
    }

    /** The SHA-256 fingerprint of the certificate's DER encoding, as {@code AB:CD:...}. */
    public static String sha256Fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + cert.getSubjectX500Principal(), e);
        }
    }
}
