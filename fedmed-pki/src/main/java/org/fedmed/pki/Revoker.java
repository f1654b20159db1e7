package org.fedmed.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Revokes a site of a provisioned federation: adds its certificate's serial to the CRL, re-signs the CRL
 * with the CA key from {@code ca/}, and records the revocation in {@code federation.yaml}. Each file is
 * replaced by atomic rename, the CRL first, so a reader sees either the old or the new version. Revocations
 * of one federation must not run concurrently.
 */
public final class Revoker {

    private final Clock clock;
    private final SecureRandom random;

    /** A revoker on the system clock. */
    public Revoker() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    /** A revoker that dates revocations by {@code clock}. */
    public Revoker(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /**
     * Revokes {@code site} in the federation provisioned in {@code directory}.
     *
     * @throws ProvisioningException if the directory is not a provisioned federation, the site is unknown or
     *                               already revoked, or the CA in {@code ca/} is not the manifest's CA
     */
    public Revocation revoke(Path directory, String site) {
        KitLayout layout = new KitLayout(directory.toAbsolutePath().normalize());
        Names.requireSiteName(site);
        FederationManifest manifest = FederationManifest.read(layout.manifest());
        CertificateAuthority ca = CertificateAuthority.load(layout.caDirectory(), random);
        String caFingerprint = CertificateSummary.sha256Fingerprint(ca.certificate());
        if (!caFingerprint.equals(manifest.ca().sha256())) {
            throw new ProvisioningException(layout.caDirectory().resolve(KitLayout.CA_CERTIFICATE) + " has fingerprint "
                    + caFingerprint + " but " + layout.manifest() + " records the CA as " + manifest.ca().sha256());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        FederationManifest updated = manifest.withRevoked(site, now);
        X509CRL crl = ca.signCrl(updated.revocations(), updated.crlNumber(), now);
        SecureFiles.replaceAtomically(layout.serverCrl(), Pem.toPem(crl), false);
        SecureFiles.replaceAtomically(layout.manifest(), updated.toYaml(), false);
        return new Revocation(manifest.federation(), site, updated.site(site).orElseThrow().serial(), now,
                updated.crlNumber(), layout.serverCrl(), layout.manifest());
    }
}
