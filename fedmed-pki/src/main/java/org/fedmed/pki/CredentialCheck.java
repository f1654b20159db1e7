package org.fedmed.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks, before a process uses its kit, that the kit's own certificate and private key can work together: the
 * key file is owner-only (or the policy allows otherwise), both files parse, the key belongs to the certificate,
 * the federation CA in the kit issued the certificate, and a site certificate names the site the kit is for.
 * Each refusal is a {@link ProvisioningException} that names the file and what was found, so a kit assembled from
 * two participants' files, or a key left readable by others, stops the process at start with the reason.
 */
final class CredentialCheck {

    private static final System.Logger LOG = System.getLogger(CredentialCheck.class.getName());

    /** Permissions beyond owner read/write that make a key file readable or usable by others. */
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private CredentialCheck() {
    }

    /**
     * Checks the kit's credential.
     *
     * @param kit          what the kit is, for messages ({@code site kit DIR}, {@code server kit DIR})
     * @param caFile       the kit's federation CA certificate
     * @param certFile     the kit's own certificate
     * @param keyFile      the kit's own private key
     * @param expectedSite the site the kit is for, whose name the certificate's CN must be; null for the server
     * @throws ProvisioningException naming the file at fault and the reason
     */
    static void check(String kit, Path caFile, Path certFile, Path keyFile, String expectedSite, KeyFilePolicy policy) {
        checkPermissions(keyFile, policy);
        X509Certificate ca = Pem.readCertificate(caFile);
        X509Certificate cert = Pem.readCertificate(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!KeyMatch.matches(key, cert.getPublicKey())) {
            throw new ProvisioningException(kit + ": the private key " + keyFile + " does not belong to the certificate "
                    + certFile + " (" + cert.getSubjectX500Principal().getName() + ", serial "
                    + cert.getSerialNumber().toString(16) + "); the kit mixes files of two certificates. Put back the"
                    + " key issued with this certificate, or renew it with 'fedmed provision renew'");
        }
        try {
            cert.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ProvisioningException(kit + ": the certificate " + certFile + " ("
                    + cert.getSubjectX500Principal().getName() + ") was not issued by the federation CA in " + caFile
                    + " ('" + ca.getSubjectX500Principal().getName() + "'); the kit mixes files of two federations", e);
        }
        if (expectedSite != null) {
            String cn = CertificateNames.commonName(cert).orElse(null);
            if (!expectedSite.equals(cn)) {
                throw new ProvisioningException(kit + ": the certificate " + certFile + " is for site '" + cn
                        + "', but the kit is for site '" + expectedSite + "'; use the certificate and key issued"
                        + " for '" + expectedSite + "'");
            }
        }
    }

    /** Refuses (or warns about, as {@code policy} says) a key file that group or others may access. */
    static void checkPermissions(Path keyFile, KeyFilePolicy policy) {
        Path dir = keyFile.toAbsolutePath().getParent();
        if (!SecureFiles.supportsPosix(dir)) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + keyFile + ": " + e.getMessage(), e);
        }
        EnumSet<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(perms);
        open.retainAll(TOO_OPEN);
        if (open.isEmpty()) {
            return;
        }
        String facts = keyFile + ": the private key file is accessible to group or others (mode "
                + SecureFiles.octal(perms) + "); a private key must be readable by its owner only";
        switch (policy) {
            case REQUIRE_OWNER_ONLY -> throw new ProvisioningException(facts + ". Fix it with: chmod 600 " + keyFile
                    + " (or pass --allow-readable-key to start anyway)");
            case ALLOW_READABLE -> LOG.log(System.Logger.Level.WARNING, facts + "; starting anyway, as"
                    + " --allow-readable-key asks. Fix it with: chmod 600 " + keyFile);
        }
    }
}
