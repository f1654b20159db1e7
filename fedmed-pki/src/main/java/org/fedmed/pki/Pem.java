package org.fedmed.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes certificates, private keys and CRLs as PEM, in the forms gRPC's
 * {@code TlsServerCredentials}/{@code TlsChannelCredentials} and OpenSSL accept: certificates as
 * {@code CERTIFICATE}, keys as unencrypted PKCS#8 {@code PRIVATE KEY}, CRLs as {@code X509 CRL}.
 * Private keys are written owner-only (see {@link SecureFiles}). A file that does not hold what was asked
 * for is reported with its path, what was expected and what was found.
 */
public final class Pem {

    private Pem() {
    }

    /** The first certificate in {@code file}. */
    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).getFirst();
    }

    /** Every certificate in {@code file}, in order (a chain is leaf first); at least one. */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Object o : readObjects(file)) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new ProvisioningException(file + ": expected only certificates, found " + describe(o));
            }
            try {
                certs.add(new JcaX509CertificateConverter().getCertificate(holder));
            } catch (CertificateException e) {
                throw new ProvisioningException(file + ": unreadable certificate: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new ProvisioningException(file + ": expected a PEM certificate, found no PEM block");
        }
        return List.copyOf(certs);
    }

    /** The private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's {@code EC PRIVATE KEY}. */
    public static PrivateKey readPrivateKey(Path file) {
        List<Object> objects = readObjects(file);
        if (objects.size() != 1) {
            throw new ProvisioningException(file + ": expected exactly one PEM private key, found "
                    + (objects.isEmpty() ? "no PEM block (no '-----BEGIN' line)" : objects.size() + " PEM blocks"));
        }
        Object o = objects.getFirst();
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw new ProvisioningException(file
                        + ": the private key is encrypted; fedmed kits use unencrypted keys protected by file permissions");
                default -> throw new ProvisioningException(file + ": expected a PEM private key, found " + describe(o));
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProvisioningException p) {
                throw p;
            }
            throw new ProvisioningException(file + ": unreadable private key: " + firstLine(e), e);
        }
    }

    /** The CRL in {@code file}. Its signature is not checked here; {@link RevocationList#load} does that. */
    public static X509CRL readCrl(Path file) {
        List<Object> objects = readObjects(file);
        if (objects.size() != 1 || !(objects.getFirst() instanceof X509CRLHolder holder)) {
            throw new ProvisioningException(file + ": expected one PEM 'X509 CRL' block, found "
                    + (objects.isEmpty() ? "none" : describe(objects.getFirst())));
        }
        try {
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (CRLException e) {
            throw new ProvisioningException(file + ": unreadable CRL: " + e.getMessage(), e);
        }
    }

    /** PEM text of a certificate, a CRL or a public key. Private keys go through {@link #privateKeyPem}. */
    public static String toPem(Object object) {
        if (object instanceof PrivateKey) {
            throw new IllegalArgumentException("use privateKeyPem for private keys");
        }
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + object.getClass().getSimpleName() + " as PEM", e);
        }
        return text.toString();
    }

    /** PEM text of an unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String privateKeyPem(PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the private key as PKCS#8 PEM", e);
        }
        return text.toString();
    }

    /** Writes a certificate, CRL or public key to a new file. */
    public static void write(Path file, Object object) {
        SecureFiles.writeNew(file, toPem(object), false);
    }

    /** Writes a private key to a new file that only its owner may read (where the file system allows). */
    public static void writePrivateKey(Path file, PrivateKey key) {
        SecureFiles.writeNew(file, privateKeyPem(key), true);
    }

    private static List<Object> readObjects(Path file) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new ProvisioningException(file + ": file does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ProvisioningException(file + ": not readable as PEM: the file is binary, not PEM text", e);
        } catch (IOException | RuntimeException e) {
            throw new ProvisioningException(file + ": not readable as PEM: " + firstLine(e), e);
        }
        return objects;
    }

    /** The first line of an exception's message (a parser's message may run over several). */
    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }

    private static String describe(Object o) {
        return switch (o) {
            case X509CertificateHolder c -> "a certificate (" + c.getSubject() + ")";
            case X509CRLHolder ignored -> "a CRL";
            case PrivateKeyInfo ignored -> "a private key";
            case PEMKeyPair ignored -> "a private key";
            case PKCS8EncryptedPrivateKeyInfo ignored -> "an encrypted private key";
            default -> "a " + o.getClass().getSimpleName();
        };
    }
}
