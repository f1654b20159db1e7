package org.fedmed.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A federation's certificate authority: the one key that every participant's trust rests on. It issues
 * the server certificate (EKU serverAuth) and site certificates (EKU clientAuth), and signs the revocation
 * list. All keys are EC P-256 and every signature is SHA256withECDSA; serial numbers are 128 random bits.
 * Only the JDK's own crypto providers are used, so nothing needs registering.
 *
 * <p>Its private key lives only in the federation directory's {@code ca/} folder and is never copied into
 * a startup kit.
 */
public final class CertificateAuthority {

    /** The signature algorithm of every certificate and CRL fedmed issues. */
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    /** The curve of every key fedmed generates. */
    public static final String CURVE = "secp256r1";

    private final String federation;
    private final Credential credential;
    private final SecureRandom random;

    private CertificateAuthority(String federation, Credential credential, SecureRandom random) {
        this.federation = federation;
        this.credential = credential;
        this.random = random;
    }

    /** Creates a new self-signed CA for {@code federation} (basicConstraints CA:true, pathlen 0). */
    public static CertificateAuthority create(String federation, Validity validity, SecureRandom random) {
        Names.requireFederationName(federation);
        KeyPair keys = newKeyPair(random);
        X500Name name = CertificateNames.ca(federation);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, newSerial(random),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(builder, keys.getPrivate());
            return new CertificateAuthority(federation, new Credential(cert, keys.getPrivate()), random);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate for " + federation, e);
        }
    }

    /**
     * Loads the CA of a provisioned federation from its {@code ca/} directory ({@code ca.pem} and
     * {@code ca.key}), checking that the key belongs to the certificate.
     */
    public static CertificateAuthority load(Path caDirectory, SecureRandom random) {
        Path certFile = caDirectory.resolve(KitLayout.CA_CERTIFICATE);
        X509Certificate cert = Pem.readCertificate(certFile);
        PrivateKey key = Pem.readPrivateKey(caDirectory.resolve(KitLayout.CA_KEY));
        if (!KeyMatch.matches(key, cert.getPublicKey())) {
            throw new ProvisioningException(caDirectory.resolve(KitLayout.CA_KEY) + " does not belong to " + certFile);
        }
        String federation = CertificateNames.organization(cert).orElseThrow(() -> new ProvisioningException(
                certFile + ": the CA certificate has no single organization (O) naming the federation"));
        return new CertificateAuthority(federation, new Credential(cert, key), random);
    }

    /** The federation this CA belongs to. */
    public String federation() {
        return federation;
    }

    /** The CA certificate, which every participant trusts. */
    public X509Certificate certificate() {
        return credential.certificate();
    }

    /** The CA certificate and its private key, for writing to the {@code ca/} directory. */
    Credential credential() {
        return credential;
    }

    /**
     * Issues the server certificate: subject {@code O=federation, OU=server, CN=host}, EKU serverAuth, and a
     * subject alternative name for the host (DNS name or IP address), plus {@code localhost} and
     * {@code 127.0.0.1} if {@code loopbackNames}. The validity is cut to end no later than the CA's.
     */
    public Credential issueServer(ServerAddress server, boolean loopbackNames, Validity validity) {
        KeyPair keys = newKeyPair(random);
        List<GeneralName> names = new ArrayList<>();
        names.add(server.isIpAddress() ? new GeneralName(GeneralName.iPAddress, server.host())
                : new GeneralName(GeneralName.dNSName, server.host()));
        if (loopbackNames) {
            addIfAbsent(names, new GeneralName(GeneralName.dNSName, "localhost"));
            addIfAbsent(names, new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        }
        X500Name subject = CertificateNames.participant(federation, CertificateNames.SERVER_UNIT, server.host());
        X509Certificate cert = issue(subject, keys.getPublic(), validity, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        return new Credential(cert, keys.getPrivate());
    }

    /**
     * Issues a site certificate: subject {@code O=federation, OU=site, CN=site}, EKU clientAuth. The validity
     * is cut to end no later than the CA's. Any validity is accepted, including one already past, so that
     * expiry handling can be exercised.
     */
    public Credential issueSite(String site, Validity validity) {
        Names.requireSiteName(site);
        KeyPair keys = newKeyPair(random);
        X500Name subject = CertificateNames.participant(federation, CertificateNames.SITE_UNIT, site);
        return new Credential(issue(subject, keys.getPublic(), validity, KeyPurposeId.id_kp_clientAuth, null),
                keys.getPrivate());
    }

    /**
     * Signs a CRL listing {@code revoked}, numbered {@code crlNumber}, issued at {@code thisUpdate} and due
     * for renewal when the CA expires.
     */
    public X509CRL signCrl(List<RevokedCertificate> revoked, long crlNumber, Instant thisUpdate) {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate(), Date.from(thisUpdate));
            builder.setNextUpdate(certificate().getNotAfter());
            for (RevokedCertificate r : revoked) {
                builder.addCRLEntry(r.serial(), Date.from(r.revokedAt()), (Extensions) null);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate().getPublicKey()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            X509CRLHolder holder = builder.build(signer(credential.privateKey()));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot sign the CRL of " + federation, e);
        }
    }

    private X509Certificate issue(X500Name subject, PublicKey key, Validity validity, KeyPurposeId purpose,
                                  GeneralNames altNames) {
        Validity bounded = validity.endingNoLaterThan(certificate().getNotAfter().toInstant());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate(), newSerial(random),
                    Date.from(bounded.notBefore()), Date.from(bounded.notAfter()), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(certificate().getPublicKey()));
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            return sign(builder, credential.privateKey());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no " + SIGNATURE_ALGORITHM + " signer for the CA key", e);
        }
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec(CURVE), random);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + CURVE + " keys", e);
        }
    }

    /** A positive serial of 128 random bits, never zero. */
    private static BigInteger newSerial(SecureRandom random) {
        return new BigInteger(128, random).setBit(0);
    }

    private static void addIfAbsent(List<GeneralName> names, GeneralName name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }
}
