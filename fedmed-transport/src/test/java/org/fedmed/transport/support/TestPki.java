package org.fedmed.transport.support;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fedmed.transport.tls.MutualTls;

/**
 * A throwaway certificate authority for tests: EC P-256 keys, a CA, a server certificate for 127.0.0.1 and
 * localhost, and site certificates whose common name is the site id. Everything lives in memory as PEM.
 */
public final class TestPki {

    /** A certificate and its private key, as PEM. */
    public record Credential(X509Certificate certificate, byte[] certPem, byte[] keyPem) {
    }

    private final X500Name caName;
    private final KeyPair caKeys;
    private final Credential ca;
    private final AtomicLong serial = new AtomicLong(2);

    private TestPki(String name) {
        try {
            caName = new X500Name("CN=" + name);
            caKeys = keyPair();
            X509v3CertificateBuilder b = builder(caName, 1, caName, caKeys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = credential(b, caKeys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestPki create(String caCommonName) {
        return new TestPki(caCommonName);
    }

    public byte[] caPem() {
        return ca.certPem();
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Credential server() {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder b = builder(caName, serial.getAndIncrement(), new X500Name("CN=fedmed-server"), keys);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return credential(b, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client certificate whose subject common name is {@code siteId}. */
    public Credential site(String siteId) {
        Instant now = Instant.now();
        return site(siteId, now.minus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.DAYS));
    }

    /** A client certificate for {@code siteId} valid from {@code notBefore} to {@code notAfter} (expired, say). */
    public Credential site(String siteId, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = keyPair();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(serial.getAndIncrement()),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + siteId + ",O=fedmed-test"),
                    keys.getPublic());
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return credential(b, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ServerCredentials serverCredentials(Credential server) throws IOException {
        return MutualTls.serverCredentials(caPem(), server.certPem(), server.keyPem());
    }

    public ChannelCredentials siteCredentials(Credential site) throws IOException {
        return MutualTls.siteCredentials(caPem(), site.certPem(), site.keyPem());
    }

    /** Writes ca.pem, NAME.pem and NAME.key into {@code dir}. */
    public void write(Path dir, String name, Credential c) throws IOException {
        Files.write(dir.resolve("ca.pem"), caPem());
        Files.write(dir.resolve(name + ".pem"), c.certPem());
        Files.write(dir.resolve(name + ".key"), c.keyPem());
    }

    private X509v3CertificateBuilder builder(X500Name issuer, long serialNumber, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serialNumber),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(2, ChronoUnit.DAYS)), subject, keys.getPublic());
    }

    private Credential credential(X509v3CertificateBuilder b, KeyPair keys) {
        try {
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
            return new Credential(cert, pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
