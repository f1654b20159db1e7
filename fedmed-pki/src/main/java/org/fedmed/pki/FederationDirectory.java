package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A provisioned federation directory opened for an operation that changes it (adding a site, renewing or
 * revoking a certificate): its layout, its manifest and its CA, checked to agree, held under an exclusive lock
 * ({@code ca/.lock}) so that two such operations, in this process or another, never interleave. Files are
 * replaced by atomic rename, so a running server re-reading the CRL or sites list sees the old version or the
 * new one, never a mix.
 */
final class FederationDirectory implements AutoCloseable {

    /** The lock file, in the CA folder: only operations that hold the CA key change the directory. */
    static final String LOCK = ".lock";

    private final KitLayout layout;
    private final FederationManifest manifest;
    private final CertificateAuthority ca;
    private final SecureRandom random;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FederationDirectory(KitLayout layout, FederationManifest manifest, CertificateAuthority ca,
                                SecureRandom random, FileChannel lockChannel, FileLock lock) {
        this.layout = layout;
        this.manifest = manifest;
        this.ca = ca;
        this.random = random;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens {@code directory} for {@code operation} (for messages, e.g. {@code add-site}).
     *
     * @throws ProvisioningException if it is not a provisioned federation, its CA (certificate or key) is missing
     *                               or is not the manifest's CA, or another operation holds the lock
     */
    static FederationDirectory open(Path directory, String operation, SecureRandom random) {
        KitLayout layout = new KitLayout(directory.toAbsolutePath().normalize());
        if (!Files.isRegularFile(layout.manifest())) {
            throw new ProvisioningException(layout.root() + " is not a federation directory: it holds no "
                    + KitLayout.MANIFEST + "; pass --kit the directory that 'fedmed provision --out' wrote");
        }
        FederationManifest manifest = FederationManifest.read(layout.manifest());
        for (String file : new String[]{KitLayout.CA_CERTIFICATE, KitLayout.CA_KEY}) {
            Path p = layout.caDirectory().resolve(file);
            if (!Files.isRegularFile(p)) {
                throw new ProvisioningException(operation + " needs the federation CA, but " + p + " does not exist;"
                        + " the CA is the " + KitLayout.CA_DIRECTORY + "/ folder 'fedmed provision' wrote (kept"
                        + " offline): put it back into " + layout.root());
            }
        }
        FileChannel channel = null;
        FileLock lock;
        try {
            channel = FileChannel.open(layout.caDirectory().resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException("cannot lock " + layout.caDirectory().resolve(LOCK) + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            ProvisioningException busy = new ProvisioningException("another 'fedmed provision' operation is changing "
                    + layout.root() + " (it holds " + layout.caDirectory().resolve(LOCK) + "); wait for it to finish");
            closeQuietly(channel, busy);
            throw busy;
        }
        try {
            CertificateAuthority ca = CertificateAuthority.load(layout.caDirectory(), random);
            String fingerprint = CertificateSummary.sha256Fingerprint(ca.certificate());
            if (!fingerprint.equals(manifest.ca().sha256())) {
                throw new ProvisioningException(layout.caDirectory().resolve(KitLayout.CA_CERTIFICATE)
                        + " has fingerprint " + fingerprint + " but " + layout.manifest() + " records the CA as "
                        + manifest.ca().sha256());
            }
            return new FederationDirectory(layout, manifest, ca, random, channel, lock);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    KitLayout layout() {
        return layout;
    }

    FederationManifest manifest() {
        return manifest;
    }

    CertificateAuthority ca() {
        return ca;
    }

    /** Throws if the CA has expired at {@code now}: it can issue nothing more. */
    void requireCaCurrent(Instant now) {
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (now.isAfter(caEnd)) {
            throw new ProvisioningException("the federation CA expired at " + caEnd + "; it can issue nothing more."
                    + " Provision a new federation ('fedmed provision')");
        }
    }

    /**
     * The validity of a certificate issued at {@code now}: {@code requested} if given, else the manifest's default,
     * else {@code fallback}; the CA cuts it to end no later than itself.
     */
    Validity validity(Duration requested, Duration fallback, Instant now) {
        requireCaCurrent(now);
        Duration length = requested != null ? requested : manifest.defaultValidity().orElse(fallback);
        Validity.requireLength("certificate validity", length);
        return Validity.startingAt(now, length);
    }

    /** Whether a certificate asked for {@code asked} ends earlier, with the CA. */
    boolean cutByCa(Validity asked) {
        return asked.notAfter().isAfter(ca.certificate().getNotAfter().toInstant());
    }

    /** Signs a CRL listing {@code updated}'s revocations, numbered as it says, and puts it in the server kit. */
    void writeCrl(FederationManifest updated, Instant now) {
        X509CRL crl = ca.signCrl(updated.revocations(), updated.crlNumber(), now);
        SecureFiles.replaceAtomically(layout.serverCrl(), Pem.toPem(crl), false);
    }

    /** Replaces {@code federation.yaml} with {@code updated}. */
    void writeManifest(FederationManifest updated) {
        SecureFiles.replaceAtomically(layout.manifest(), updated.toYaml(), false);
    }

    /** A random hex string for the names of scratch folders. */
    String nonce() {
        byte[] b = new byte[6];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + layout.caDirectory().resolve(LOCK) + ": "
                    + e.getMessage(), e);
        }
    }

    /** How long a certificate recorded as {@code summary} was issued for (its validity less the clock skew). */
    static Duration lengthOf(CertificateSummary summary) {
        Validity v = summary.validity();
        Duration d = Duration.between(v.notBefore(), v.notAfter()).minus(Validity.CLOCK_SKEW);
        return d.compareTo(Duration.ofHours(1)) < 0 ? Duration.ofHours(1) : d;
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
